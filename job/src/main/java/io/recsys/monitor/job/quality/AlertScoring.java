package io.recsys.monitor.job.quality;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.operators.alarm.AlarmEvaluator;
import io.recsys.monitor.operators.alarm.AlarmState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Scores the alerts of one replay against what the traffic held: on clean traffic every alert is
 * false; during a scenario the alerts of the kinds the scenario should raise ({@link
 * ExpectedAlarms}) are split into incidents per alarm and series and scored for detection, delay,
 * notifications per incident and the resolve, and every other alert is false. Pure: no Flink, so
 * that the rules are tested on hand-made alert lists.
 *
 * <p>Only news counts: the OK &lt;-&gt; INSUFFICIENT_DATA bookkeeping ({@link
 * AlarmEvaluator#isQuiet}) never reaches a sink. Alerts are stamped with the end of the period that
 * decided them, so a delay includes the wait for that period to close.
 */
public final class AlertScoring {
    static final long DAY_MILLIS = 86_400_000L;

    private AlertScoring() {}

    /** One notification, as a reader of the table needs it to see what fired. */
    public static final class AlertLine {
        public final Alert alert;

        /** The series the alert is about: its dimensions, or "overall". */
        public final String series;

        AlertLine(Alert alert) {
            this.alert = alert;
            this.series = AlertScoring.series(alert);
        }
    }

    /**
     * Clean traffic: every notification is a false alert. Those of periods that end after the
     * traffic are kept apart ({@link #afterEnd}): the traffic stopped, and an alarm that says so is
     * right.
     */
    public static final class CleanScore {
        public final long spanMillis;
        public final List<AlertLine> alerts;

        /** Notifications stamped after the end of the traffic, not scored. */
        public final List<AlertLine> afterEnd;

        public CleanScore(long spanMillis, List<AlertLine> alerts, List<AlertLine> afterEnd) {
            this.spanMillis = spanMillis;
            this.alerts = alerts;
            this.afterEnd = afterEnd;
        }

        public double days() {
            return (double) spanMillis / DAY_MILLIS;
        }

        /** Notifications per alarm, by alarm name. */
        public Map<String, Integer> alertsByAlarm() {
            Map<String, Integer> counts = new TreeMap<>();
            for (AlertLine a : alerts) {
                counts.merge(a.alert.alarmName, 1, Integer::sum);
            }
            return counts;
        }

        /** False alerts per day of event time, by alarm name. */
        public Map<String, Double> alertsPerDayByAlarm() {
            Map<String, Double> rates = new TreeMap<>();
            alertsByAlarm().forEach((alarm, n) -> rates.put(alarm, n / days()));
            return rates;
        }

        public double alertsPerDay() {
            return alerts.size() / days();
        }
    }

    /**
     * One alarm and series of an expected kind during a scenario: the delay from the problem's
     * start to its first ALARM notification (-1 when not detected); the count per notification type
     * over the problem's incidents, in order of first appearance; whether the last incident cleared
     * at or after the problem's end, and when, minus that end (negative: it cleared while the
     * problem went on; -1 with {@code resolved} false when it never did).
     */
    public static final class SeriesScore {
        public final String alarm;
        public final String kind;
        public final String series;
        public final boolean detected;
        public final long delayMillis;
        public final int incidents;
        public final Map<String, Integer> notifications;
        public final boolean resolved;
        public final long resolveDelayMillis;

        public SeriesScore(
                String alarm,
                String kind,
                String series,
                boolean detected,
                long delayMillis,
                int incidents,
                Map<String, Integer> notifications,
                boolean resolved,
                long resolveDelayMillis) {
            this.alarm = alarm;
            this.kind = kind;
            this.series = series;
            this.detected = detected;
            this.delayMillis = delayMillis;
            this.incidents = incidents;
            this.notifications = notifications;
            this.resolved = resolved;
            this.resolveDelayMillis = resolveDelayMillis;
        }

        public int notificationCount() {
            return notifications.values().stream().mapToInt(Integer::intValue).sum();
        }

        public double notificationsPerIncident() {
            return incidents == 0 ? 0 : (double) notificationCount() / incidents;
        }
    }

    /**
     * A scenario's score: the detecting series, the alarms of an expected kind that said nothing,
     * and the false alerts (other kinds, or an expected kind outside the problem).
     */
    public static final class ScenarioScore {
        public final Set<String> expectedKinds;
        public final List<SeriesScore> series;
        public final List<String> silentAlarms;
        public final List<AlertLine> falseAlerts;

        /** Notifications stamped after the end of the traffic, not scored. */
        public final List<AlertLine> afterEnd;

        public ScenarioScore(
                Set<String> expectedKinds,
                List<SeriesScore> series,
                List<String> silentAlarms,
                List<AlertLine> falseAlerts,
                List<AlertLine> afterEnd) {
            this.expectedKinds = expectedKinds;
            this.series = series;
            this.silentAlarms = silentAlarms;
            this.falseAlerts = falseAlerts;
            this.afterEnd = afterEnd;
        }

        public boolean detected() {
            return series.stream().anyMatch(s -> s.detected);
        }

        /** The earliest detection, ms after the problem's start; -1 when none. */
        public long firstDelayMillis() {
            return series.stream()
                    .filter(s -> s.detected)
                    .mapToLong(s -> s.delayMillis)
                    .min()
                    .orElse(-1);
        }
    }

    /** The alerts that reach a sink: everything but the OK &lt;-&gt; INSUFFICIENT_DATA changes. */
    public static List<Alert> news(List<Alert> alerts) {
        return alerts.stream()
                .filter(a -> !AlarmEvaluator.isQuiet(a.previousState, a.state))
                .sorted(Comparator.comparingLong(a -> a.time))
                .collect(Collectors.toList());
    }

    /** Scores clean traffic whose requests lie from {@code startMillis} to {@code endMillis}. */
    public static CleanScore clean(List<Alert> alerts, long startMillis, long endMillis) {
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException(
                    "the traffic must end after it starts: " + startMillis + " to " + endMillis);
        }
        List<AlertLine> lines = new ArrayList<>();
        List<AlertLine> afterEnd = new ArrayList<>();
        for (Alert a : news(alerts)) {
            (a.time > endMillis ? afterEnd : lines).add(new AlertLine(a));
        }
        return new CleanScore(endMillis - startMillis, lines, afterEnd);
    }

    /**
     * Scores a scenario whose problem lasted from {@code startMillis} (inclusive) to {@code
     * endMillis} (exclusive) in traffic that ended at {@code trafficEndMillis}. Notifications
     * stamped after the traffic's end judge periods the traffic did not fill; they are kept apart.
     *
     * @param alarmKinds every alarm of the catalogue with its kind, to name the silent ones
     * @param slackMillis how long after the problem's end an incident may still be raised and count
     *     as detecting it: a period that overlaps the problem closes up to one period after it (the
     *     longest period of the catalogue)
     */
    public static ScenarioScore scenario(
            List<Alert> alerts,
            long startMillis,
            long endMillis,
            long trafficEndMillis,
            Set<String> expectedKinds,
            Map<String, String> alarmKinds,
            long slackMillis) {
        Map<List<String>, List<Alert>> bySeries = new LinkedHashMap<>();
        List<AlertLine> afterEnd = new ArrayList<>();
        for (Alert a : news(alerts)) {
            if (a.time > trafficEndMillis) {
                afterEnd.add(new AlertLine(a));
                continue;
            }
            bySeries.computeIfAbsent(List.of(a.alarmName, series(a)), k -> new ArrayList<>())
                    .add(a);
        }
        List<SeriesScore> scores = new ArrayList<>();
        List<AlertLine> falseAlerts = new ArrayList<>();
        Set<String> detecting = new TreeSet<>();
        for (List<Alert> seriesAlerts : bySeries.values()) {
            Alert first = seriesAlerts.get(0);
            boolean expected = expectedKinds.contains(first.kind);
            List<Incident> problem = new ArrayList<>();
            for (Incident incident : incidents(seriesAlerts)) {
                if (expected
                        && incident.raisedAt() >= startMillis
                        && incident.raisedAt() <= endMillis + slackMillis) {
                    problem.add(incident);
                } else {
                    incident.alerts.forEach(a -> falseAlerts.add(new AlertLine(a)));
                }
            }
            if (problem.isEmpty()) {
                continue;
            }
            detecting.add(first.alarmName);
            Map<String, Integer> notifications = new LinkedHashMap<>();
            for (Incident incident : problem) {
                for (Alert a : incident.alerts) {
                    notifications.merge(String.valueOf(a.notification), 1, Integer::sum);
                }
            }
            Incident last = problem.get(problem.size() - 1);
            long clearedAt = last.clearedAt();
            scores.add(
                    new SeriesScore(
                            first.alarmName,
                            first.kind,
                            series(first),
                            true,
                            problem.get(0).raisedAt() - startMillis,
                            problem.size(),
                            notifications,
                            clearedAt >= endMillis,
                            clearedAt < 0 ? -1 : clearedAt - endMillis));
        }
        List<String> silent = new ArrayList<>();
        new TreeMap<>(alarmKinds)
                .forEach(
                        (alarm, kind) -> {
                            if (expectedKinds.contains(kind) && !detecting.contains(alarm)) {
                                silent.add(alarm);
                            }
                        });
        falseAlerts.sort(Comparator.comparingLong(a -> a.alert.time));
        return new ScenarioScore(
                new TreeSet<>(expectedKinds),
                Collections.unmodifiableList(scores),
                Collections.unmodifiableList(silent),
                Collections.unmodifiableList(falseAlerts),
                Collections.unmodifiableList(afterEnd));
    }

    /** The series an alert is about: its dimensions, or "overall" when it has none. */
    static String series(Alert a) {
        if (a.dimensions == null || a.dimensions.isEmpty()) {
            return "overall";
        }
        return a.dimensions.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * Splits one series' news, in time order, into incidents: each opens with the first
     * notification while the series is not in ALARM and closes with the first one that leaves ALARM
     * (resolved, or no-data).
     */
    static List<Incident> incidents(List<Alert> seriesAlerts) {
        List<Incident> incidents = new ArrayList<>();
        Incident open = null;
        for (Alert a : seriesAlerts) {
            if (open == null) {
                open = new Incident();
                incidents.add(open);
            }
            open.alerts.add(a);
            if (!AlarmState.ALARM.equals(a.state)) {
                open = null;
            }
        }
        return incidents;
    }

    /** The notifications of one series from a raise to the clear. */
    static final class Incident {
        final List<Alert> alerts = new ArrayList<>();

        long raisedAt() {
            return alerts.get(0).time;
        }

        /** Time of the notification that left ALARM; -1 while the incident is open. */
        long clearedAt() {
            Alert last = alerts.get(alerts.size() - 1);
            return AlarmState.ALARM.equals(last.state) ? -1 : last.time;
        }
    }
}
