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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
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
                            "seasonal",
                            "band-floor",
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
                requireAlarm(r, "source", n);
            }
            for (String n : r.targets()) {
                requireAlarm(r, "target", n);
                if (r.sources().contains(n)) {
                    throw new ConfigException(
                            "Inhibition '" + r.name() + "': '" + n + "' cannot inhibit itself");
                }
            }
        }
    }

    private void requireAlarm(InhibitionRule r, String role, String n) {
        if (!alarms.containsKey(n) && !composites.containsKey(n)) {
            throw new ConfigException(
                    "Inhibition '" + r.name() + "': " + role + " '" + n + "' is not an alarm");
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
        for (Map.Entry<String, JsonNode> field : entry.properties()) {
            String f = field.getKey();
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
        Entry f = new Entry(e, name);
        try {
            AlarmDefinition.Builder b =
                    AlarmDefinition.builder(name, f.required("metric"))
                            .comparison(AlarmDefinition.Comparison.parse(f.required("comparison")));
            f.read("description", Entry::asText, b::description);
            f.read("dimension-sets", f::dimensionSets, b::dimensionSets);
            f.read("dimensions", f::map, b::dimensionFilter);
            f.read("statistic", f.parsed(AlarmDefinition.Statistic::parse), b::statistic);
            f.read("warning-threshold", f::number, b::warningThreshold);
            f.read("critical-threshold", f::number, b::criticalThreshold);
            f.read("period", f::millis, b::periodMillis);
            f.read("evaluation-periods", f::integer, b::evaluationPeriods);
            f.read("datapoints-to-alarm", f::integer, b::datapointsToAlarm);
            f.read(
                    "treat-missing-data",
                    f.parsed(AlarmDefinition.TreatMissingData::parse),
                    b::treatMissingData);
            f.read("baseline", f::millis, b::baselineMillis);
            f.read("baseline-min-datapoints", f::integer, b::baselineMinDatapoints);
            f.read("seasonal", f::flag, b::seasonal);
            f.read("band-floor", f::number, b::bandFloorPercent);
            f.read("confidence", f::number, b::confidence);
            f.read(
                    "low-sample-percentiles",
                    f.parsed(AlarmDefinition.LowSamplePercentiles::parse),
                    b::lowSamplePercentiles);
            f.read("ok-periods", f::integer, b::okPeriods);
            f.read("flap-transitions", f::integer, b::flapTransitions);
            f.read("flap-span", f::millis, b::flapSpanMillis);
            if (e.has("priority")) {
                Map<String, String> p = f.map("priority", e.get("priority"));
                for (String k : p.keySet()) {
                    if (!"warning".equals(k) && !"critical".equals(k)) {
                        throw f.invalid("priority takes warning and critical, not " + k);
                    }
                }
                if (p.containsKey("warning")) {
                    b.warningPriority(p.get("warning"));
                }
                if (p.containsKey("critical")) {
                    b.criticalPriority(p.get("critical"));
                }
            }
            f.read("route", Entry::asText, b::route);
            f.read("action", Entry::asText, b::action);
            f.read("action-severity", Entry::asText, b::actionSeverity);
            f.read("kind", Entry::asText, b::kind);
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("Alarm '" + name + "': " + ex.getMessage(), ex);
        }
    }

    static CompositeAlarmDefinition composite(JsonNode e, String name) {
        checkFields(e, name, COMPOSITE_FIELDS, "Composite alarm");
        Entry f = new Entry(e, name);
        AlarmRule rule;
        try {
            rule = AlarmRule.parse(f.required("rule"));
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("Composite alarm '" + name + "': " + ex.getMessage(), ex);
        }
        return new CompositeAlarmDefinition(
                name,
                rule,
                f.text("description", name),
                f.text("severity", "critical"),
                f.text("priority", "P2"),
                f.text("route", "critical"),
                f.text("action", "none"),
                f.text("kind", "generic"));
    }

    static InhibitionRule inhibition(JsonNode e, String name) {
        checkFields(e, name, INHIBITION_FIELDS, "Inhibition");
        Entry f = new Entry(e, name);
        return new InhibitionRule(
                name,
                f.list("sources", e.get("sources")),
                f.text("source-severity", "critical"),
                f.list("targets", e.get("targets")),
                e.has("source-dimensions")
                        ? f.map("source-dimensions", e.get("source-dimensions"))
                        : java.util.Collections.emptyMap());
    }

    /**
     * The fields of one entry, read with errors that name the alarm and the field. A field's reader
     * gets the field name and its value; {@link #read} hands the result to a builder only when the
     * entry has the field, so that the builder's default stands otherwise.
     */
    private static final class Entry {
        private final JsonNode node;
        private final String name;

        /** Turns the value of {@code field} into what the builder takes, or fails naming both. */
        private interface FieldReader<T> {
            T read(String field, JsonNode value);
        }

        Entry(JsonNode node, String name) {
            this.node = node;
            this.name = name;
        }

        ConfigException invalid(String what) {
            return new ConfigException("Alarm '" + name + "': " + what);
        }

        <T> void read(String field, FieldReader<T> reader, Consumer<T> apply) {
            if (node.has(field)) {
                apply.accept(reader.read(field, node.get(field)));
            }
        }

        /** The text as written (a null is the text "null", which the builder then rejects). */
        static String asText(String field, JsonNode v) {
            return v.asText();
        }

        /** The text parsed by one of the CloudWatch-named enums of {@link AlarmDefinition}. */
        <T> FieldReader<T> parsed(Function<String, T> parse) {
            return (field, v) -> parse.apply(v.asText());
        }

        /** A finite number; an explicit null is NaN (no such threshold). */
        double number(String field, JsonNode v) {
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
                throw invalid(field + " must be a finite number");
            }
        }

        boolean flag(String field, JsonNode v) {
            if (v == null
                    || !(v.isBoolean()
                            || "true".equals(v.asText())
                            || "false".equals(v.asText()))) {
                throw invalid(field + " must be true or false");
            }
            return v.asBoolean() || "true".equals(v.asText());
        }

        int integer(String field, JsonNode v) {
            try {
                return Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException ex) {
                throw invalid(field + " must be an integer");
            }
        }

        /** A duration such as 60s or 1h, or a bare number of seconds as in CloudWatch, in ms. */
        long millis(String field, JsonNode v) {
            String t = v.asText().trim();
            try {
                if (t.matches("\\d+")) {
                    return Duration.ofSeconds(Long.parseLong(t)).toMillis();
                }
                return ValueType.duration(Duration.ofSeconds(1)).parse(t).toMillis();
            } catch (IllegalArgumentException ex) {
                throw invalid(field + " '" + t + "': " + ex.getMessage());
            }
        }

        String required(String field) {
            JsonNode v = node.get(field);
            if (v == null || !v.isValueNode() || v.asText().trim().isEmpty()) {
                throw invalid("missing " + field);
            }
            return v.asText().trim();
        }

        /** The trimmed text, or {@code fallback} when the field is absent or null. */
        String text(String field, String fallback) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? fallback : v.asText().trim();
        }

        /** Dimension sets, each with its names sorted and comma-joined. */
        List<String> dimensionSets(String field, JsonNode v) {
            List<String> sets = new ArrayList<>();
            for (String s : list(field, v)) {
                sets.add(AlarmDefinition.sortedDimensionSet(s));
            }
            return sets;
        }

        List<String> list(String field, JsonNode v) {
            if (v == null || !v.isArray()) {
                throw new ConfigException("'" + name + "': " + field + " must be a list");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isValueNode()) {
                    throw new ConfigException(
                            "'" + name + "': " + field + " must list plain values");
                }
                out.add(item.isNull() ? "" : item.asText().trim());
            }
            return out;
        }

        Map<String, String> map(String field, JsonNode v) {
            if (v == null || !v.isObject()) {
                throw invalid(field + " must be a mapping");
            }
            Map<String, String> out = new TreeMap<>();
            v.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText().trim()));
            return out;
        }
    }
}
