package io.recsys.monitor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every alarm of a run: metric alarms, composite alarms and inhibition rules, read from the
 * configuration's {@code alarms:} and {@code alarm-inhibitions:} lists on top of the defaults
 * shipped in {@value #DEFAULTS_RESOURCE}. An entry whose name matches a default replaces it; an
 * entry with {@code enabled: false} removes it; other entries are added.
 *
 * <p>Everything that can be checked without the metric vocabulary is checked here (field names and
 * values, M of N, threshold order, composite rules and the alarms they name, inhibition targets);
 * {@link #checkMetrics} checks metric names against the vocabulary, which lives in the operators
 * module. Every error is a {@link ConfigException} that names the alarm.
 */
public final class AlarmCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Class-path resource holding the default alarms. */
    public static final String DEFAULTS_RESOURCE = "/io/recsys/monitor/config/default-alarms.yaml";

    private static final Set<String> METRIC_FIELDS =
            new HashSet<>(
                    Arrays.asList(
                            "name",
                            "enabled",
                            "description",
                            "metric",
                            "dimension-sets",
                            "dimensions",
                            "statistic",
                            "comparison",
                            "warning-threshold",
                            "critical-threshold",
                            "period",
                            "evaluation-periods",
                            "datapoints-to-alarm",
                            "treat-missing-data",
                            "baseline",
                            "baseline-min-datapoints",
                            "confidence",
                            "low-sample-percentiles",
                            "ok-periods",
                            "flap-transitions",
                            "flap-span",
                            "priority",
                            "route",
                            "action",
                            "action-severity",
                            "kind"));
    private static final Set<String> COMPOSITE_FIELDS =
            new HashSet<>(
                    Arrays.asList(
                            "name",
                            "enabled",
                            "description",
                            "rule",
                            "severity",
                            "priority",
                            "route",
                            "action",
                            "kind"));
    private static final Set<String> INHIBITION_FIELDS =
            new HashSet<>(
                    Arrays.asList(
                            "name",
                            "enabled",
                            "sources",
                            "source-severity",
                            "source-dimensions",
                            "targets"));

    private final LinkedHashMap<String, AlarmDefinition> alarms;
    private final LinkedHashMap<String, CompositeAlarmDefinition> composites;
    private final LinkedHashMap<String, InhibitionRule> inhibitions;

    private AlarmCatalog(
            LinkedHashMap<String, AlarmDefinition> alarms,
            LinkedHashMap<String, CompositeAlarmDefinition> composites,
            LinkedHashMap<String, InhibitionRule> inhibitions) {
        this.alarms = alarms;
        this.composites = composites;
        this.inhibitions = inhibitions;
        checkReferences();
    }

    /** The defaults alone. */
    public static AlarmCatalog defaults() {
        try (InputStream in = AlarmCatalog.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + DEFAULTS_RESOURCE);
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            return empty().merge(root.get("alarms"), root.get("alarm-inhibitions"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    private static AlarmCatalog empty() {
        return new AlarmCatalog(
                new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * The defaults with the entries of {@code alarmsText} and {@code inhibitionsText} (YAML or JSON
     * lists; blank for none) merged in by name.
     */
    public static AlarmCatalog fromConfig(String alarmsText, String inhibitionsText) {
        return defaults()
                .merge(
                        readList("alarms", alarmsText),
                        readList("alarm-inhibitions", inhibitionsText));
    }

    private static JsonNode readList(String key, String text) {
        if (text == null || text.trim().isEmpty()) {
            return null;
        }
        JsonNode node;
        try {
            node = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new ConfigException(
                    "Invalid value for '" + key + "': not a YAML or JSON list: " + e.getMessage(),
                    e);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isArray()) {
            throw new ConfigException(
                    "Invalid value for '" + key + "': expected a list of entries with a name");
        }
        return node;
    }

    /** A copy with the entries of the two lists (either may be null) merged in by name. */
    public AlarmCatalog merge(JsonNode alarmList, JsonNode inhibitionList) {
        LinkedHashMap<String, AlarmDefinition> a = new LinkedHashMap<>(alarms);
        LinkedHashMap<String, CompositeAlarmDefinition> c = new LinkedHashMap<>(composites);
        LinkedHashMap<String, InhibitionRule> i = new LinkedHashMap<>(inhibitions);
        Set<String> disabled = new HashSet<>();
        if (alarmList != null) {
            for (JsonNode entry : alarmList) {
                String name = name(entry, "alarms");
                a.remove(name);
                c.remove(name);
                if (!enabled(entry, name)) {
                    disabled.add(name);
                    continue;
                }
                if (entry.has("rule")) {
                    c.put(name, composite(entry, name));
                } else {
                    a.put(name, metricAlarm(entry, name));
                }
            }
        }
        if (inhibitionList != null) {
            for (JsonNode entry : inhibitionList) {
                String name = name(entry, "alarm-inhibitions");
                i.remove(name);
                if (enabled(entry, name)) {
                    i.put(name, inhibition(entry, name));
                }
            }
        }
        // An alarm switched off leaves rules that name it; they lose that name (and go when
        // nothing is left), while any other unknown name fails the reference check.
        for (Map.Entry<String, InhibitionRule> e : new ArrayList<>(i.entrySet())) {
            InhibitionRule r = e.getValue();
            List<String> sources = without(r.sources(), disabled);
            List<String> targets = without(r.targets(), disabled);
            if (sources.isEmpty() || targets.isEmpty()) {
                i.remove(e.getKey());
            } else if (sources.size() != r.sources().size()
                    || targets.size() != r.targets().size()) {
                i.put(
                        e.getKey(),
                        new InhibitionRule(
                                r.name(),
                                sources,
                                r.sourceSeverity(),
                                targets,
                                r.sourceDimensions()));
            }
        }
        return new AlarmCatalog(a, c, i);
    }

    private static List<String> without(List<String> names, Set<String> removed) {
        List<String> out = new ArrayList<>(names);
        out.removeAll(removed);
        return out;
    }

    /** The metric alarms, in definition order. */
    public List<AlarmDefinition> alarms() {
        return Collections.unmodifiableList(new ArrayList<>(alarms.values()));
    }

    /** The metric alarm called {@code name}, or null. */
    public AlarmDefinition alarm(String name) {
        return alarms.get(name);
    }

    public List<CompositeAlarmDefinition> composites() {
        return Collections.unmodifiableList(new ArrayList<>(composites.values()));
    }

    public List<InhibitionRule> inhibitions() {
        return Collections.unmodifiableList(new ArrayList<>(inhibitions.values()));
    }

    /** A copy with {@code definition} in place of the metric alarm of the same name. */
    public AlarmCatalog with(AlarmDefinition definition) {
        LinkedHashMap<String, AlarmDefinition> a = new LinkedHashMap<>(alarms);
        a.put(definition.name(), definition);
        return new AlarmCatalog(
                a, new LinkedHashMap<>(composites), new LinkedHashMap<>(inhibitions));
    }

    /**
     * Checks every metric alarm's metric against the vocabulary.
     *
     * @throws ConfigException naming the first alarm whose metric is unknown
     */
    public void checkMetrics(Predicate<String> isKnownMetric, String vocabularyHint) {
        for (AlarmDefinition d : alarms.values()) {
            if (!isKnownMetric.test(d.metric())) {
                throw new ConfigException(
                        "Alarm '"
                                + d.name()
                                + "': unknown metric '"
                                + d.metric()
                                + "'; the job emits "
                                + vocabularyHint);
            }
        }
    }

    private void checkReferences() {
        for (CompositeAlarmDefinition c : composites.values()) {
            for (String child : c.rule().alarms()) {
                if (!alarms.containsKey(child) && !composites.containsKey(child)) {
                    throw new ConfigException(
                            "Composite alarm '"
                                    + c.name()
                                    + "': its rule names '"
                                    + child
                                    + "', which is not an alarm");
                }
                if (child.equals(c.name())) {
                    throw new ConfigException(
                            "Composite alarm '" + c.name() + "': its rule names itself");
                }
            }
            if (composites.containsKey(c.name())
                    && rulesReach(c.name(), c.name(), new HashSet<>())) {
                throw new ConfigException(
                        "Composite alarm '" + c.name() + "': its rule depends on itself");
            }
        }
        for (InhibitionRule r : inhibitions.values()) {
            for (String n : r.sources()) {
                if (!alarms.containsKey(n) && !composites.containsKey(n)) {
                    throw new ConfigException(
                            "Inhibition '" + r.name() + "': source '" + n + "' is not an alarm");
                }
            }
            for (String n : r.targets()) {
                if (!alarms.containsKey(n) && !composites.containsKey(n)) {
                    throw new ConfigException(
                            "Inhibition '" + r.name() + "': target '" + n + "' is not an alarm");
                }
                if (r.sources().contains(n)) {
                    throw new ConfigException(
                            "Inhibition '" + r.name() + "': '" + n + "' cannot inhibit itself");
                }
            }
        }
    }

    private boolean rulesReach(String from, String target, Set<String> seen) {
        CompositeAlarmDefinition c = composites.get(from);
        if (c == null || !seen.add(from)) {
            return false;
        }
        for (String child : c.rule().alarms()) {
            if (child.equals(target) || rulesReach(child, target, seen)) {
                return true;
            }
        }
        return false;
    }

    // --- reading entries ---

    private static String name(JsonNode entry, String list) {
        if (entry == null || !entry.isObject()) {
            throw new ConfigException(
                    "Invalid entry in '" + list + "': expected a mapping with a name");
        }
        JsonNode name = entry.get("name");
        if (name == null || !name.isValueNode() || name.asText().trim().isEmpty()) {
            throw new ConfigException("Invalid entry in '" + list + "': every entry needs a name");
        }
        return name.asText().trim();
    }

    private static boolean enabled(JsonNode entry, String name) {
        JsonNode e = entry.get("enabled");
        if (e == null) {
            return true;
        }
        if (!e.isBoolean() && !"true".equals(e.asText()) && !"false".equals(e.asText())) {
            throw new ConfigException("Alarm '" + name + "': enabled must be true or false");
        }
        return e.asBoolean();
    }

    private static void checkFields(JsonNode entry, String name, Set<String> allowed, String what) {
        Iterator<String> fields = entry.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!allowed.contains(f)) {
                List<String> sorted = new ArrayList<>(allowed);
                Collections.sort(sorted);
                throw new ConfigException(
                        what
                                + " '"
                                + name
                                + "': unknown field '"
                                + f
                                + "'; accepted fields: "
                                + String.join(", ", sorted));
            }
        }
    }

    static AlarmDefinition metricAlarm(JsonNode e, String name) {
        checkFields(e, name, METRIC_FIELDS, "Alarm");
        try {
            AlarmDefinition.Builder b =
                    AlarmDefinition.builder(name, required(e, "metric", name))
                            .comparison(
                                    AlarmDefinition.Comparison.parse(
                                            required(e, "comparison", name)));
            if (e.has("description")) {
                b.description(e.get("description").asText());
            }
            if (e.has("dimension-sets")) {
                b.dimensionSets(dimensionSets(e.get("dimension-sets"), name));
            }
            if (e.has("dimensions")) {
                b.dimensionFilter(stringMap(e.get("dimensions"), name, "dimensions"));
            }
            if (e.has("statistic")) {
                b.statistic(AlarmDefinition.Statistic.parse(e.get("statistic").asText()));
            }
            b.warningThreshold(number(e, "warning-threshold", name));
            b.criticalThreshold(number(e, "critical-threshold", name));
            if (e.has("period")) {
                b.periodMillis(duration(e.get("period"), name, "period"));
            }
            if (e.has("evaluation-periods")) {
                b.evaluationPeriods(integer(e, "evaluation-periods", name));
            }
            if (e.has("datapoints-to-alarm")) {
                b.datapointsToAlarm(integer(e, "datapoints-to-alarm", name));
            }
            if (e.has("treat-missing-data")) {
                b.treatMissingData(
                        AlarmDefinition.TreatMissingData.parse(
                                e.get("treat-missing-data").asText()));
            }
            if (e.has("baseline")) {
                b.baselineMillis(duration(e.get("baseline"), name, "baseline"));
            }
            if (e.has("baseline-min-datapoints")) {
                b.baselineMinDatapoints(integer(e, "baseline-min-datapoints", name));
            }
            if (e.has("confidence")) {
                b.confidence(number(e, "confidence", name));
            }
            if (e.has("low-sample-percentiles")) {
                b.lowSamplePercentiles(
                        AlarmDefinition.LowSamplePercentiles.parse(
                                e.get("low-sample-percentiles").asText()));
            }
            if (e.has("ok-periods")) {
                b.okPeriods(integer(e, "ok-periods", name));
            }
            if (e.has("flap-transitions")) {
                b.flapTransitions(integer(e, "flap-transitions", name));
            }
            if (e.has("flap-span")) {
                b.flapSpanMillis(duration(e.get("flap-span"), name, "flap-span"));
            }
            if (e.has("priority")) {
                Map<String, String> p = stringMap(e.get("priority"), name, "priority");
                for (String k : p.keySet()) {
                    if (!"warning".equals(k) && !"critical".equals(k)) {
                        throw new ConfigException(
                                "Alarm '"
                                        + name
                                        + "': priority takes warning and critical, not "
                                        + k);
                    }
                }
                if (p.containsKey("warning")) {
                    b.warningPriority(p.get("warning"));
                }
                if (p.containsKey("critical")) {
                    b.criticalPriority(p.get("critical"));
                }
            }
            if (e.has("route")) {
                b.route(e.get("route").asText());
            }
            if (e.has("action")) {
                b.action(e.get("action").asText());
            }
            if (e.has("action-severity")) {
                b.actionSeverity(e.get("action-severity").asText());
            }
            if (e.has("kind")) {
                b.kind(e.get("kind").asText());
            }
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("Alarm '" + name + "': " + ex.getMessage(), ex);
        }
    }

    static CompositeAlarmDefinition composite(JsonNode e, String name) {
        checkFields(e, name, COMPOSITE_FIELDS, "Composite alarm");
        AlarmRule rule;
        try {
            rule = AlarmRule.parse(required(e, "rule", name));
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("Composite alarm '" + name + "': " + ex.getMessage(), ex);
        }
        return new CompositeAlarmDefinition(
                name,
                rule,
                text(e, "description", name),
                text(e, "severity", "critical"),
                text(e, "priority", "P2"),
                text(e, "route", "critical"),
                text(e, "action", "none"),
                text(e, "kind", "generic"));
    }

    static InhibitionRule inhibition(JsonNode e, String name) {
        checkFields(e, name, INHIBITION_FIELDS, "Inhibition");
        return new InhibitionRule(
                name,
                stringList(e.get("sources"), name, "sources"),
                text(e, "source-severity", "critical"),
                stringList(e.get("targets"), name, "targets"),
                e.has("source-dimensions")
                        ? stringMap(e.get("source-dimensions"), name, "source-dimensions")
                        : java.util.Collections.emptyMap());
    }

    private static String required(JsonNode e, String field, String name) {
        JsonNode v = e.get(field);
        if (v == null || !v.isValueNode() || v.asText().trim().isEmpty()) {
            throw new ConfigException("Alarm '" + name + "': missing " + field);
        }
        return v.asText().trim();
    }

    private static String text(JsonNode e, String field, String fallback) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? fallback : v.asText().trim();
    }

    private static double number(JsonNode e, String field, String name) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        try {
            double d = Double.parseDouble(v.asText().trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException ex) {
            throw new ConfigException(
                    "Alarm '" + name + "': " + field + " must be a finite number");
        }
    }

    private static int integer(JsonNode e, String field, String name) {
        JsonNode v = e.get(field);
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException ex) {
            throw new ConfigException("Alarm '" + name + "': " + field + " must be an integer");
        }
    }

    /** A duration such as 60s or 1h, or a bare number of seconds as in CloudWatch. */
    private static long duration(JsonNode v, String name, String field) {
        String t = v.asText().trim();
        try {
            if (t.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(t)).toMillis();
            }
            return ValueType.duration(Duration.ofSeconds(1)).parse(t).toMillis();
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(
                    "Alarm '" + name + "': " + field + " '" + t + "': " + ex.getMessage());
        }
    }

    private static List<String> dimensionSets(JsonNode v, String name) {
        List<String> sets = new ArrayList<>();
        for (String s : stringList(v, name, "dimension-sets")) {
            List<String> parts = new ArrayList<>();
            for (String p : s.split(",")) {
                if (!p.trim().isEmpty()) {
                    parts.add(p.trim());
                }
            }
            Collections.sort(parts);
            sets.add(String.join(",", parts));
        }
        return sets;
    }

    private static List<String> stringList(JsonNode v, String name, String field) {
        if (v == null || !v.isArray()) {
            throw new ConfigException("'" + name + "': " + field + " must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode()) {
                throw new ConfigException("'" + name + "': " + field + " must list plain values");
            }
            out.add(item.isNull() ? "" : item.asText().trim());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode v, String name, String field) {
        if (v == null || !v.isObject()) {
            throw new ConfigException("Alarm '" + name + "': " + field + " must be a mapping");
        }
        Map<String, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), f.getValue().asText().trim());
        }
        return out;
    }
}
