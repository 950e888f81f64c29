package io.recsys.monitor.job.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard draws, built from the records a run writes (metrics, alerts, drift reports,
 * dead letters) and the alarm definitions: one JSON object that the live page fetches and the
 * report inlines, so both show the same thing.
 *
 * <p>It keeps what the page shows and nothing else, so that a day of traffic stays a few MB: the
 * series of each metric overall and per single dimension (model version, feature, stream, rule),
 * not per segment or rank; a corrected window (late data) replaces its earlier value; drift reports
 * as heat-map cells; dead letters counted by category and reason, not kept.
 */
public final class DashboardData {
    /** Reasons beyond these many, the rarest, are counted together as "other". */
    static final int MAX_REASONS = 15;

    static final String OVERALL = "all";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext SIGNIFICANT = new MathContext(6);

    /** metric -> series label -> window end (epoch ms) -> value. */
    private final Map<String, Map<String, TreeMap<Long, Double>>> series = new TreeMap<>();

    private final Map<String, String> units = new HashMap<>();
    private final Map<String, String> seriesDimension = new HashMap<>();
    private final List<ObjectNode> alerts = new ArrayList<>();

    /** model version -> feature -> window end -> cell. */
    private final Map<String, Map<String, TreeMap<Long, ArrayNode>>> drift = new TreeMap<>();

    private final Map<String, Long> deadLettersByReason = new HashMap<>();
    private final Map<String, Long> deadLettersByCategory = new TreeMap<>();
    private final ArrayNode thresholds;
    private long records;

    public DashboardData(AlarmCatalog catalog) {
        this.thresholds = thresholds(catalog);
    }

    /** How many records went in: the page redraws when it grows. */
    public long records() {
        return records;
    }

    /** A line of {@code metrics.jsonl}. */
    public void addMetric(JsonNode point) {
        JsonNode dimensions = point.path("dimensions");
        if (dimensions.size() > 1
                || !point.path("value").isNumber()
                || !Double.isFinite(point.path("value").asDouble())) {
            return;
        }
        Long time = epochMillis(point.path("timestamp"));
        if (time == null) {
            return;
        }
        String metric = point.path("metric").asText();
        String label = OVERALL;
        if (dimensions.size() == 1) {
            Map.Entry<String, JsonNode> only = dimensions.fields().next();
            label = only.getValue().asText();
            seriesDimension.putIfAbsent(metric, only.getKey());
        }
        units.putIfAbsent(metric, point.path("unit").asText());
        series.computeIfAbsent(metric, m -> new TreeMap<>())
                .computeIfAbsent(label, l -> new TreeMap<>())
                .put(time, point.path("value").asDouble());
        records++;
    }

    /** A line of {@code alerts.jsonl}. */
    public void addAlert(JsonNode alert) {
        Long time = epochMillis(alert.path("time"));
        if (time == null) {
            return;
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("time", time);
        entry.put("event", event(alert));
        for (String field :
                List.of(
                        "alarm_name",
                        "summary",
                        "severity",
                        "priority",
                        "state",
                        "previous_state",
                        "metric",
                        "model_version",
                        "kind",
                        "action",
                        "reason",
                        "held_back_by")) {
            if (alert.hasNonNull(field)) {
                entry.put(field, alert.get(field).asText());
            }
        }
        entry.put("series", seriesName(alert.path("dimensions")));
        if (alert.path("value").isNumber()) {
            entry.put("value", alert.get("value").asDouble());
        }
        if (alert.path("threshold").isNumber()) {
            entry.put("threshold", alert.get("threshold").asDouble());
        }
        if (alert.has("runbook")) {
            entry.set("runbook", alert.get("runbook"));
        }
        alerts.add(entry);
        records++;
    }

    /**
     * What happened to the alarm: held back (an inhibition), raised, escalated, de-escalated,
     * resolved, or the notification the alert says.
     */
    static String event(JsonNode alert) {
        if (alert.hasNonNull("held_back_by")) {
            return "held back";
        }
        String notification = alert.path("notification").asText("");
        if (!notification.isEmpty()) {
            return notification;
        }
        return "OK".equals(alert.path("state").asText()) ? "resolved" : "raised";
    }

    /**
     * A line of {@code drift.jsonl}: a cell of the heat map of its model version. The colour is the
     * distance the drift rule compares with its floor (KS D, or Cramer's V of a chi-square test),
     * so that features of both kinds share one scale.
     */
    public void addDrift(JsonNode report) {
        String test = report.path("test").asText();
        Long windowEnd = epochMillis(report.path("window_end"));
        if (windowEnd == null || "no-reference".equals(test)) {
            return;
        }
        JsonNode distance =
                "chi-square".equals(test) ? report.path("effect_size") : report.path("statistic");
        ArrayNode cell = JSON.createArrayNode();
        cell.add(windowEnd);
        cell.add(distance.isNumber() ? round(distance.asDouble()) : 0.0);
        cell.add(report.path("drifted").asBoolean() ? 1 : 0);
        cell.add(
                report.path("statistic").isNumber()
                        ? round(report.path("statistic").asDouble())
                        : 0.0);
        cell.add(
                report.path("p_value").isNumber() ? round(report.path("p_value").asDouble()) : 1.0);
        drift.computeIfAbsent(report.path("model_version").asText(), v -> new TreeMap<>())
                .computeIfAbsent(report.path("feature").asText(), f -> new TreeMap<>())
                .put(windowEnd, cell);
        records++;
    }

    /** A line of {@code dead-letter.jsonl}: counted by category and reason, the line not kept. */
    public void addDeadLetter(JsonNode deadLetter) {
        deadLettersByReason.merge(deadLetter.path("reason").asText("unknown"), 1L, Long::sum);
        deadLettersByCategory.merge(deadLetter.path("category").asText("unknown"), 1L, Long::sum);
        records++;
    }

    /** The object the page renders. */
    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("records", records);
        ObjectNode metrics = out.putObject("metrics");
        series.forEach(
                (metric, byLabel) -> {
                    ObjectNode m = metrics.putObject(metric);
                    m.put("unit", units.getOrDefault(metric, ""));
                    m.put("dimension", seriesDimension.getOrDefault(metric, ""));
                    ObjectNode lines = m.putObject("series");
                    byLabel.forEach(
                            (label, points) -> {
                                ArrayNode line = lines.putArray(label);
                                points.forEach(
                                        (time, value) ->
                                                line.addArray().add(time).add(round(value)));
                            });
                });
        out.set("thresholds", thresholds.deepCopy());
        ArrayNode alertArray = out.putArray("alerts");
        alerts.stream()
                .sorted(Comparator.comparingLong(a -> a.get("time").asLong()))
                .forEach(alertArray::add);
        ObjectNode driftOut = out.putObject("drift");
        drift.forEach(
                (version, byFeature) -> {
                    ObjectNode v = driftOut.putObject(version);
                    byFeature.forEach(
                            (feature, cells) -> {
                                ArrayNode row = v.putArray(feature);
                                cells.values().forEach(row::add);
                            });
                });
        ObjectNode deadLetters = out.putObject("dead_letters");
        ObjectNode categories = deadLetters.putObject("by_category");
        deadLettersByCategory.forEach(categories::put);
        ObjectNode reasons = deadLetters.putObject("by_reason");
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(deadLettersByReason.entrySet());
        ranked.sort(
                Map.Entry.<String, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()));
        long other = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (i < MAX_REASONS) {
                reasons.put(ranked.get(i).getKey(), ranked.get(i).getValue());
            } else {
                other += ranked.get(i).getValue();
            }
        }
        if (other > 0) {
            reasons.put("other", other);
        }
        return out;
    }

    /**
     * The thresholds of every alarm with a fixed threshold on a series the page draws (overall or
     * per one dimension): the bands come from the definitions the alarm engine evaluates.
     */
    private static ArrayNode thresholds(AlarmCatalog catalog) {
        ArrayNode out = JSON.createArrayNode();
        for (AlarmDefinition alarm : catalog.alarms()) {
            if (alarm.isRelative()) {
                continue;
            }
            if (alarm.dimensionSets().stream().allMatch(set -> set.contains(","))) {
                continue;
            }
            ObjectNode t = out.addObject();
            t.put("alarm", alarm.name());
            t.put("metric", alarm.metric());
            t.put("lower_is_worse", alarm.comparison().lowerIsWorse());
            putIfNumber(t, "warning", alarm.warningThreshold());
            putIfNumber(t, "critical", alarm.criticalThreshold());
        }
        return out;
    }

    private static void putIfNumber(ObjectNode node, String field, double value) {
        if (!Double.isNaN(value)) {
            node.put(field, value);
        }
    }

    /** "overall", or the dimensions as Name=value, comma-separated. */
    private static String seriesName(JsonNode dimensions) {
        if (dimensions.size() == 0) {
            return "overall";
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = dimensions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue().asText());
        }
        StringBuilder name = new StringBuilder();
        sorted.forEach(
                (k, v) ->
                        name.append(name.length() == 0 ? "" : ", ")
                                .append(k)
                                .append('=')
                                .append(v));
        return name.toString();
    }

    private static Long epochMillis(JsonNode time) {
        if (!time.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(time.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Six significant digits: what a chart shows, in a third of the characters. */
    static double round(double value) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isFinite(value) ? value : 0.0;
        }
        return new BigDecimal(value).round(SIGNIFICANT).doubleValue();
    }
}
