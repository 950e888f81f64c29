package io.recsys.monitor.job.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alert-quality table: false alerts on clean traffic and detection of every scenario, as text
 * for the terminal and as JSON for tools. Runs are added as they finish, so that the table of a
 * benchmark stopped half-way holds what was measured.
 */
public final class AlarmQualityReport {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The traffic one run replayed and what the job counted; the run time is the replay's wall time
     * from submission to the end of the job.
     */
    public static final class Traffic {
        final long seed;
        final double requestsPerSecond;
        final long startMillis;
        final GeneratedReplay.Result replay;

        Traffic(
                long seed,
                double requestsPerSecond,
                long startMillis,
                GeneratedReplay.Result replay) {
            this.seed = seed;
            this.requestsPerSecond = requestsPerSecond;
            this.startMillis = startMillis;
            this.replay = replay;
        }

        double hours() {
            return (replay.span.endMillis() - startMillis) / 3_600_000.0;
        }

        double runSeconds() {
            return replay.wallNanos / 1e9;
        }
    }

    /** One run of clean traffic. */
    public static final class CleanRun {
        final String name;
        final Traffic traffic;
        final AlertScoring.CleanScore score;

        CleanRun(String name, Traffic traffic, AlertScoring.CleanScore score) {
            this.name = name;
            this.traffic = traffic;
            this.score = score;
        }
    }

    /** One scenario's run. */
    public static final class ScenarioRun {
        final ScenarioPlan plan;
        final Traffic traffic;
        final AlertScoring.ScenarioScore score;

        ScenarioRun(ScenarioPlan plan, Traffic traffic, AlertScoring.ScenarioScore score) {
            this.plan = plan;
            this.traffic = traffic;
            this.score = score;
        }

        long problemStart() {
            return plan.problemStart(traffic.startMillis);
        }

        long problemEnd() {
            return plan.problemEnd(traffic.startMillis);
        }
    }

    private final List<CleanRun> clean = new ArrayList<>();
    private final List<ScenarioRun> scenarios = new ArrayList<>();

    public void add(CleanRun run) {
        clean.add(run);
    }

    public void add(ScenarioRun run) {
        scenarios.add(run);
    }

    /** The table as a person reads it. */
    public String text() {
        StringBuilder out = new StringBuilder();
        if (!clean.isEmpty()) {
            out.append("Clean traffic (every alert is false)\n");
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  %-30s %6s %9s %8s %12s %7s %11s %9s%n",
                            "run",
                            "seed",
                            "req/s",
                            "hours",
                            "events",
                            "alerts",
                            "alerts/day",
                            "run time"));
            for (CleanRun run : clean) {
                Traffic t = run.traffic;
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %-30s %6d %9s %8.1f %,12d %7d %11.2f %8.0fs%n",
                                run.name,
                                t.seed,
                                rate(t.requestsPerSecond),
                                t.hours(),
                                t.replay.span.events(),
                                run.score.alerts.size(),
                                run.score.alertsPerDay(),
                                t.runSeconds()));
                for (Map.Entry<String, Double> e : run.score.alertsPerDayByAlarm().entrySet()) {
                    out.append(
                            String.format(
                                    Locale.ROOT,
                                    "      %-44s %4d alerts, %.2f a day%n",
                                    e.getKey(),
                                    run.score.alertsByAlarm().get(e.getKey()),
                                    e.getValue()));
                }
                for (AlertScoring.AlertLine a : run.score.alerts) {
                    out.append("        ").append(line(a)).append('\n');
                }
                afterEnd(out, run.score.afterEnd);
            }
        }
        if (!scenarios.isEmpty()) {
            out.append("Scenarios (problem from its start to its end; delays from its start)\n");
            for (ScenarioRun run : scenarios) {
                Traffic t = run.traffic;
                AlertScoring.ScenarioScore s = run.score;
                out.append(
                        String.format(
                                Locale.ROOT,
                                "  %s at %s req/s, %d h, problem %s to %s, %,d events, run %.0f s:"
                                        + " %s, %d false alerts%n",
                                run.plan.name(),
                                rate(t.requestsPerSecond),
                                run.plan.hours(),
                                Instant.ofEpochMilli(run.problemStart()),
                                Instant.ofEpochMilli(run.problemEnd()),
                                t.replay.span.events(),
                                t.runSeconds(),
                                s.detected()
                                        ? "detected after " + minutes(s.firstDelayMillis())
                                        : "NOT DETECTED",
                                s.falseAlerts.size()));
                out.append("    expected kinds: ")
                        .append(String.join(", ", s.expectedKinds))
                        .append(" (")
                        .append(run.plan.why())
                        .append(")\n");
                for (AlertScoring.SeriesScore series : s.series) {
                    out.append(
                            String.format(
                                    Locale.ROOT,
                                    "    %-40s %-22s delay %8s, %d incident(s), %s, %s%n",
                                    series.alarm,
                                    series.series,
                                    minutes(series.delayMillis),
                                    series.incidents,
                                    notifications(series.notifications),
                                    series.resolved
                                            ? "resolved "
                                                    + minutes(series.resolveDelayMillis)
                                                    + " after the end"
                                            : series.resolveDelayMillis < 0
                                                    ? "never resolved"
                                                    : "cleared before the end, "
                                                            + minutes(-series.resolveDelayMillis)
                                                            + " early"));
                }
                if (!s.silentAlarms.isEmpty()) {
                    out.append("    silent: ")
                            .append(String.join(", ", s.silentAlarms))
                            .append('\n');
                }
                for (AlertScoring.AlertLine a : s.falseAlerts) {
                    out.append("    false: ").append(line(a)).append('\n');
                }
                afterEnd(out, s.afterEnd);
            }
        }
        return out.toString();
    }

    /** The table as JSON. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode cleanRuns = root.putArray("clean");
        for (CleanRun run : clean) {
            ObjectNode node = cleanRuns.addObject();
            node.put("name", run.name);
            traffic(node, run.traffic);
            AlertScoring.CleanScore score = run.score;
            node.put("days", score.days());
            node.put("alerts", score.alerts.size());
            node.put("alerts_per_day", score.alertsPerDay());
            ObjectNode byAlarm = node.putObject("by_alarm");
            score.alertsPerDayByAlarm()
                    .forEach(
                            (alarm, perDay) -> {
                                ObjectNode a = byAlarm.putObject(alarm);
                                a.put("alerts", score.alertsByAlarm().get(alarm));
                                a.put("per_day", perDay);
                            });
            alertList(node.putArray("alert_list"), score.alerts);
            alertList(node.putArray("after_end_list"), score.afterEnd);
        }
        ArrayNode scenarioRuns = root.putArray("scenarios");
        for (ScenarioRun run : scenarios) {
            ObjectNode node = scenarioRuns.addObject();
            AlertScoring.ScenarioScore s = run.score;
            node.put("scenario", run.plan.kind().configName());
            node.put("name", run.plan.name());
            node.put("hours", run.plan.hours());
            node.put("problem_start", Instant.ofEpochMilli(run.problemStart()).toString());
            node.put("problem_end", Instant.ofEpochMilli(run.problemEnd()).toString());
            node.put("why", run.plan.why());
            traffic(node, run.traffic);
            ArrayNode kinds = node.putArray("expected_kinds");
            s.expectedKinds.forEach(kinds::add);
            node.put("detected", s.detected());
            if (s.detected()) {
                node.put("first_delay_seconds", s.firstDelayMillis() / 1000.0);
            } else {
                node.putNull("first_delay_seconds");
            }
            ArrayNode series = node.putArray("series");
            for (AlertScoring.SeriesScore score : s.series) {
                ObjectNode row = series.addObject();
                row.put("alarm", score.alarm);
                row.put("kind", score.kind);
                row.put("series", score.series);
                row.put("detected", score.detected);
                row.put("delay_seconds", score.delayMillis / 1000.0);
                row.put("incidents", score.incidents);
                ObjectNode notifications = row.putObject("notifications");
                score.notifications.forEach(notifications::put);
                row.put("notifications_per_incident", score.notificationsPerIncident());
                row.put("resolved", score.resolved);
                if (score.resolveDelayMillis < 0 && !score.resolved) {
                    row.putNull("resolve_delay_seconds");
                } else {
                    row.put("resolve_delay_seconds", score.resolveDelayMillis / 1000.0);
                }
            }
            ArrayNode silent = node.putArray("silent_alarms");
            s.silentAlarms.forEach(silent::add);
            node.put("false_alerts", s.falseAlerts.size());
            alertList(node.putArray("false_alert_list"), s.falseAlerts);
            alertList(node.putArray("after_end_list"), s.afterEnd);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void traffic(ObjectNode node, Traffic t) {
        node.put("seed", t.seed);
        node.put("requests_per_second", t.requestsPerSecond);
        node.put("start", Instant.ofEpochMilli(t.startMillis).toString());
        node.put("end", Instant.ofEpochMilli(t.replay.span.endMillis()).toString());
        node.put("events", t.replay.span.events());
        node.put("requests", t.replay.span.requests());
        node.put("feedback", t.replay.span.feedback());
        node.put("malformed", t.replay.span.malformed());
        node.put("events_read", t.replay.eventsRead);
        node.put("dead_letters", t.replay.deadLetters);
        node.put("run_seconds", t.runSeconds());
    }

    private static void alertList(ArrayNode list, List<AlertScoring.AlertLine> alerts) {
        for (AlertScoring.AlertLine a : alerts) {
            ObjectNode node = list.addObject();
            node.put("alarm", a.alert.alarmName);
            node.put("kind", a.alert.kind);
            node.put("series", a.series);
            node.put("time", Instant.ofEpochMilli(a.alert.time).toString());
            node.put("notification", a.alert.notification);
            node.put("severity", a.alert.severity);
            node.put("value", a.alert.value);
            node.put("threshold", a.alert.threshold);
            node.put("reason", a.alert.reason);
        }
    }

    private static String line(AlertScoring.AlertLine a) {
        return String.format(
                Locale.ROOT,
                "%s %s %s %s %s value %s (threshold %s): %s",
                Instant.ofEpochMilli(a.alert.time),
                a.alert.alarmName,
                a.series,
                a.alert.notification,
                a.alert.severity,
                number(a.alert.value),
                number(a.alert.threshold),
                a.alert.reason);
    }

    private static void afterEnd(StringBuilder out, List<AlertScoring.AlertLine> alerts) {
        if (!alerts.isEmpty()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "    not scored: %d notification(s) of periods after the end of the"
                                    + " traffic (%s)%n",
                            alerts.size(),
                            alerts.stream()
                                    .map(a -> a.alert.alarmName + " " + a.series)
                                    .distinct()
                                    .collect(java.util.stream.Collectors.joining(", "))));
        }
    }

    private static String notifications(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((name, n) -> parts.add(n + " " + name));
        return String.join(" + ", parts);
    }

    private static String minutes(long millis) {
        return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
    }

    private static String rate(double rate) {
        return rate == Math.rint(rate)
                ? String.format(Locale.ROOT, "%,d", (long) rate)
                : String.format(Locale.ROOT, "%.2f", rate);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4g", v);
    }
}
