package io.recsys.monitor.config;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The validated configuration of one run: every key of {@link Settings} with its typed value. Built
 * only through {@link #of(Map)}, which rejects unknown keys and impossible values, so that an
 * operator holding a {@code MonitorConfig} never meets a bad setting at run time.
 */
public final class MonitorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of the alarm the legacy {@code alarms.low-ctr.*} keys override. */
    public static final String LOW_CTR_ALARM = "recommendation-low-ctr";

    private final HashMap<String, Object> values;
    private final TreeMap<String, String> explicit;
    private AlarmCatalog alarmCatalog;

    private MonitorConfig(HashMap<String, Object> values, TreeMap<String, String> explicit) {
        this.values = values;
        this.explicit = explicit;
    }

    /** The defaults alone. */
    public static MonitorConfig defaults() {
        return of(Collections.emptyMap());
    }

    /**
     * Validates raw key/value text against {@link Settings}.
     *
     * @throws ConfigException naming the first unknown key (with the closest known keys) or the
     *     first impossible value (with the accepted values)
     */
    public static MonitorConfig of(Map<String, String> raw) {
        Map<String, Setting<?>> known = Settings.byKey();
        refuseEnhancedFanOut(raw);
        for (String key : new TreeMap<>(raw).keySet()) {
            if (!known.containsKey(key)) {
                throw new ConfigException(unknownKeyMessage(key, known.keySet()));
            }
        }
        HashMap<String, Object> values = new HashMap<>();
        for (Setting<?> setting : known.values()) {
            String text = raw.getOrDefault(setting.key(), setting.defaultText());
            values.put(setting.key(), setting.parse(text));
        }
        MonitorConfig config = new MonitorConfig(values, new TreeMap<>(raw));
        config.checkConsistency();
        return config;
    }

    /** The typed value of {@code setting}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.get(setting.key());
        if (value == null) {
            throw new IllegalArgumentException("Not a registered setting: " + setting.key());
        }
        return (T) value;
    }

    /** A copy with {@code overrides} applied on top of the keys set explicitly so far. */
    public MonitorConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(explicit);
        merged.putAll(overrides);
        return of(merged);
    }

    /** A copy with one more key set. */
    public MonitorConfig with(String key, String value) {
        return with(Collections.singletonMap(key, value));
    }

    /** The keys that were set explicitly (not defaults), for logs and summaries. */
    public Map<String, String> explicitSettings() {
        return Collections.unmodifiableMap(explicit);
    }

    /**
     * Whether event time follows the wall clock: events arrive as they happen (Kinesis, a followed
     * directory) rather than being replayed or generated faster than real time.
     */
    public boolean eventTimeFollowsClock() {
        String live = get(Settings.SOURCE_LIVE);
        if (!"auto".equals(live)) {
            return Boolean.parseBoolean(live);
        }
        String type = get(Settings.SOURCE_TYPE);
        return "kinesis".equals(type) || ("file".equals(type) && get(Settings.SOURCE_FOLLOW));
    }

    /**
     * Every alarm of this run: the defaults of {@link AlarmCatalog#DEFAULTS_RESOURCE} with the
     * {@code alarms} and {@code alarm-inhibitions} entries merged in and the legacy {@code
     * alarms.low-ctr.*} keys applied. Metric names are checked by the alarm engine at start-up.
     */
    public AlarmCatalog alarmCatalog() {
        return alarmCatalog;
    }

    /**
     * The low-CTR alarm of the operations guide ({@value #LOW_CTR_ALARM}), with thresholds from
     * this configuration; null when the configuration disabled it.
     */
    public AlarmDefinition lowCtrAlarm() {
        return alarmCatalog.alarm(LOW_CTR_ALARM);
    }

    private AlarmCatalog buildAlarmCatalog() {
        AlarmCatalog catalog =
                AlarmCatalog.fromConfig(get(Settings.ALARMS), get(Settings.ALARM_INHIBITIONS));
        AlarmDefinition lowCtr = catalog.alarm(LOW_CTR_ALARM);
        if (lowCtr == null) {
            return catalog;
        }
        // The keys of the first release still win over the list when they are set.
        AlarmDefinition.Builder b = lowCtr.toBuilder();
        boolean changed = override(Settings.LOW_CTR_WARNING, b::warningThreshold);
        changed |= override(Settings.LOW_CTR_CRITICAL, b::criticalThreshold);
        changed |= override(Settings.LOW_CTR_EVALUATION_PERIODS, b::evaluationPeriods);
        changed |= override(Settings.LOW_CTR_DATAPOINTS_TO_ALARM, b::datapointsToAlarm);
        changed |= override(Settings.ML_METRIC_PERIOD, period -> b.periodMillis(period.toMillis()));
        return changed ? catalog.with(b.build()) : catalog;
    }

    /** Hands the value of {@code setting} to {@code apply} if it was set explicitly. */
    private <T> boolean override(Setting<T> setting, Consumer<T> apply) {
        if (!explicit.containsKey(setting.key())) {
            return false;
        }
        apply.accept(get(setting));
        return true;
    }

    private void checkConsistency() {
        int periods = get(Settings.LOW_CTR_EVALUATION_PERIODS);
        int datapoints = get(Settings.LOW_CTR_DATAPOINTS_TO_ALARM);
        if (datapoints > periods) {
            throw rejected(
                    "Invalid value '" + datapoints + "'",
                    Settings.LOW_CTR_DATAPOINTS_TO_ALARM,
                    "expected at most alarms.low-ctr.evaluation-periods (" + periods + ")");
        }
        if (get(Settings.LOW_CTR_CRITICAL) > get(Settings.LOW_CTR_WARNING)) {
            throw rejected(
                    "Invalid value",
                    Settings.LOW_CTR_CRITICAL,
                    "expected at most alarms.low-ctr.warning-threshold, since CTR must fall"
                            + " through the warning level before it is critical");
        }
        alarmCatalog = buildAlarmCatalog();
        if ("file".equals(get(Settings.SOURCE_TYPE)) && get(Settings.SOURCE_INPUT).isEmpty()) {
            throw rejected(
                    "Missing value",
                    Settings.SOURCE_INPUT,
                    "the file source needs a JSON-lines file or directory");
        }
        if ("kinesis".equals(get(Settings.SOURCE_TYPE)) && get(Settings.KINESIS_STREAM).isEmpty()) {
            throw rejected(
                    "Missing value",
                    Settings.KINESIS_STREAM,
                    "the Kinesis source needs the name of the prediction stream");
        }
        if ("at_timestamp".equals(get(Settings.KINESIS_INITIAL_POSITION))) {
            try {
                OffsetDateTime.parse(get(Settings.KINESIS_INITIAL_TIMESTAMP));
            } catch (DateTimeParseException e) {
                throw rejected(
                        "Invalid value '" + get(Settings.KINESIS_INITIAL_TIMESTAMP) + "'",
                        Settings.KINESIS_INITIAL_TIMESTAMP,
                        "kinesis.initial-position=at_timestamp needs an ISO-8601 time with offset"
                                + " such as 2026-01-01T00:00:00Z");
            }
        }
        if ("aws".equals(get(Settings.SINKS_TYPE))) {
            for (Setting<String> topic :
                    Arrays.asList(
                            Settings.SNS_CRITICAL_TOPIC_ARN,
                            Settings.SNS_WARNING_TOPIC_ARN,
                            Settings.SNS_ML_TOPIC_ARN)) {
                if (!get(topic).startsWith("arn:")) {
                    throw rejected(
                            "Missing value",
                            topic,
                            "sinks.type=aws routes alerts to three SNS topics; expected a topic"
                                    + " ARN such as arn:aws:sns:us-east-1:123456789012:name");
                }
            }
        }
        checkDeadLetterDestination();
        if (get(Settings.GENERATOR_MODEL_VERSIONS).isEmpty()) {
            throw rejected(
                    "Invalid value",
                    Settings.GENERATOR_MODEL_VERSIONS,
                    "expected at least one model version");
        }
        if (get(Settings.GENERATOR_SEGMENTS).isEmpty()) {
            throw rejected(
                    "Invalid value",
                    Settings.GENERATOR_SEGMENTS,
                    "expected at least one user segment");
        }
    }

    /** The queue or stream of the chosen dead-letter destination must be named, and well. */
    private void checkDeadLetterDestination() {
        String destination = get(Settings.DEAD_LETTER_DESTINATION);
        if ("sqs".equals(destination)
                && !get(Settings.DEAD_LETTER_SQS_QUEUE_URL).matches("https?://[^/\\s]+/.+")) {
            throw missingOrInvalid(
                    Settings.DEAD_LETTER_SQS_QUEUE_URL,
                    "dead-letter.destination=sqs needs a queue URL such as"
                            + " https://sqs.us-east-1.amazonaws.com/123456789012/recsys-dead-letters");
        }
        // Kinesis stream names: 1 to 128 of letters, digits, '_', '-' and '.'.
        if ("kinesis".equals(destination)
                && !get(Settings.DEAD_LETTER_KINESIS_STREAM).matches("[a-zA-Z0-9_.-]{1,128}")) {
            throw missingOrInvalid(
                    Settings.DEAD_LETTER_KINESIS_STREAM,
                    "dead-letter.destination=kinesis needs a stream name (1 to 128 letters, digits,"
                            + " '_', '-' or '.') such as recsys-dead-letters");
        }
    }

    /** "Missing value" for an empty text setting, "Invalid value 'VALUE'" for another. */
    private ConfigException missingOrInvalid(Setting<String> setting, String why) {
        String value = get(setting);
        return rejected(
                value.isEmpty() ? "Missing value" : "Invalid value '" + value + "'", setting, why);
    }

    /** A setting the run cannot use: "WHAT for 'KEY': WHY". */
    private static ConfigException rejected(String what, Setting<?> setting, String why) {
        return new ConfigException(what + " for '" + setting.key() + "': " + why);
    }

    /**
     * Enhanced fan-out, named by this job's keys or by the connector's own properties (which a
     * property group may try to pass through), fails with the reason rather than as an unknown key
     * or value: the application jar leaves the connector's fan-out client out.
     */
    private static void refuseEnhancedFanOut(Map<String, String> raw) {
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            boolean fanOut =
                    (key.equals(Settings.KINESIS_CONSUMER.key())
                                    && "efo".equalsIgnoreCase(e.getValue().trim()))
                            || lower.endsWith("efo-consumer-name")
                            || lower.contains("flink.stream.recordpublisher")
                            || lower.contains("flink.stream.efo.");
            if (fanOut) {
                throw new ConfigException(
                        "Enhanced fan-out is not supported by this build ('"
                                + key
                                + "="
                                + e.getValue()
                                + "'): the application jar leaves out the Kinesis connector's"
                                + " fan-out client (its own AWS SDK v2 Kinesis client and Netty),"
                                + " and the Kinesis source reads by polling (GetRecords). Remove"
                                + " the setting; docs/deploy.md (Enhanced fan-out) says what to"
                                + " do if you need it.");
            }
        }
    }

    private static String unknownKeyMessage(String key, Iterable<String> knownKeys) {
        List<String> close = new ArrayList<>();
        for (String candidate : knownKeys) {
            if (editDistance(key, candidate) <= Math.max(2, key.length() / 4)
                    || candidate.endsWith("." + key)) {
                close.add(candidate);
            }
        }
        StringBuilder sb = new StringBuilder("Unknown configuration key '").append(key).append("'");
        if (!close.isEmpty()) {
            sb.append("; did you mean ").append(String.join(" or ", close)).append("?");
        }
        sb.append(" Accepted keys: ").append(String.join(", ", knownKeys));
        return sb.toString();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
