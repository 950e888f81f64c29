package io.recsys.monitor.job.generator;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fault the synthetic traffic acts out from a given event time on, written {@code NAME} (from the
 * first event), {@code NAME@2026-01-01T00:30:00Z}, or with an end {@code
 * NAME@2026-01-01T00:30:00Z/2026-01-01T06:00:00Z} (active from the start, inclusive, to the end,
 * exclusive), so that a test can also watch the alarms resolve. Scenarios exist so that every
 * detector of the job (drift, CTR, latency, errors, dead letters) can be shown to fire on a stream
 * whose ground truth is known.
 *
 * <p>The shift scenarios carry a size, so that the drift tests' power can be measured on shifts of
 * known size: {@code shift:numeric=FEATURE:+0.3sd} (the feature's mean moves by 0.3 of its standard
 * deviation), {@code shift:category=FEATURE:5pt} (5 percentage points of the feature's most common
 * category move to its least common one), {@code shift:new-category=FEATURE:5%} (5 % of the values
 * become {@code new_FEATURE}, a category the reference never saw) and {@code shift:score=-1sd} (the
 * top score moves by one standard deviation), each with the same {@code @START[/END]}.
 */
public final class Scenario implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What goes wrong, with its name in configuration. */
    public enum Kind {
        /** user_age +8 years, session_length_s x1.6, a new device mix, lower scores. */
        FEATURE_DRIFT("feature-drift"),
        /** Click probability x0.4. */
        CTR_DROP("ctr-drop"),
        /** Latency x5. */
        LATENCY_SPIKE("latency-spike"),
        /** 20% of responses fail, slower. */
        ERROR_BURST("error-burst"),
        /** 5% more of the emitted lines are malformed. */
        MALFORMED_EVENTS("malformed-events"),
        /** A numerical feature's mean moves by {@link #amount()} of its standard deviation. */
        SHIFT_NUMERIC("shift:numeric", "sd", "shift:numeric=user_age:+0.3sd"),
        /** {@link #amount()} percentage points of a category mix move to its rarest category. */
        SHIFT_CATEGORY("shift:category", "pt", "shift:category=device:5pt"),
        /** {@link #amount()} percent of a categorical feature's values are a new category. */
        SHIFT_NEW_CATEGORY("shift:new-category", "%", "shift:new-category=device:5%"),
        /** The top score's mean moves by {@link #amount()} of its standard deviation. */
        SHIFT_SCORE("shift:score", "sd", "shift:score=-1sd");

        private final String configName;
        private final String unit;
        private final String example;

        Kind(String configName) {
            this(configName, "", configName);
        }

        Kind(String configName, String unit, String example) {
            this.configName = configName;
            this.unit = unit;
            this.example = example;
        }

        /** The name used in {@code generator.scenarios}. */
        public String configName() {
            return configName;
        }

        /** Whether the kind is written with a feature and an amount ({@code shift:...=...}). */
        public boolean isShift() {
            return configName.startsWith(SHIFT_PREFIX);
        }

        /** The unit its amount is written in: sd, pt or %; empty for the fixed scenarios. */
        String unit() {
            return unit;
        }

        /** The kind called {@code name}, or {@code null}. */
        static Kind fromConfigName(String name) {
            for (Kind kind : values()) {
                if (kind.configName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    static final String SHIFT_PREFIX = "shift:";

    /** Numerical features a {@code shift:numeric} may move, besides feature_01, feature_02, .... */
    public static final List<String> SHIFTABLE_NUMERIC =
            List.of("user_age", "session_length_s", "price_sensitivity");

    /** Categorical features a {@code shift:category} or {@code shift:new-category} may move. */
    public static final List<String> SHIFTABLE_CATEGORICAL =
            List.of("device", "country", "referrer");

    /** Start of a scenario written without a time: active for every event. */
    public static final long FROM_THE_START = Long.MIN_VALUE;

    /** End of a scenario written without an end: active to the end of the stream. */
    public static final long TO_THE_END = Long.MAX_VALUE;

    private final Kind kind;
    private final String feature;
    private final double amount;
    private final long startMillis;
    private final long endMillis;

    public Scenario(Kind kind, long startMillis) {
        this(kind, startMillis, TO_THE_END);
    }

    public Scenario(Kind kind, long startMillis, long endMillis) {
        this(kind, null, Double.NaN, startMillis, endMillis);
    }

    /**
     * A shift scenario: {@code feature} (null for {@link Kind#SHIFT_SCORE}) moved by {@code amount}
     * in the kind's unit (standard deviations, percentage points or percent).
     */
    public Scenario(Kind kind, String feature, double amount, long startMillis, long endMillis) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.feature = feature;
        this.amount = amount;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException(
                    "Scenario '" + kind.configName + "' ends before it starts");
        }
        if (kind.isShift()) {
            checkShift(kind, feature, amount);
        } else if (feature != null || !Double.isNaN(amount)) {
            throw new IllegalArgumentException(
                    "Scenario '" + kind.configName + "' takes no feature or amount");
        }
    }

    private static void checkShift(Kind kind, String feature, double amount) {
        String written = kind.configName + "=" + (feature == null ? "" : feature + ":");
        if (!Double.isFinite(amount) || amount == 0) {
            throw new IllegalArgumentException(
                    "Scenario '" + written + "' needs a non-zero amount in " + kind.unit());
        }
        switch (kind) {
            case SHIFT_NUMERIC:
                if (!SHIFTABLE_NUMERIC.contains(feature) && extraFeatureIndex(feature) < 1) {
                    throw new IllegalArgumentException(
                            "Scenario '"
                                    + written
                                    + "' cannot shift '"
                                    + feature
                                    + "'; numerical features that can: "
                                    + String.join(", ", SHIFTABLE_NUMERIC)
                                    + ", feature_01, feature_02, ...");
                }
                break;
            case SHIFT_CATEGORY:
            case SHIFT_NEW_CATEGORY:
                if (!SHIFTABLE_CATEGORICAL.contains(feature)) {
                    throw new IllegalArgumentException(
                            "Scenario '"
                                    + written
                                    + "' cannot shift '"
                                    + feature
                                    + "'; categorical features that can: "
                                    + String.join(", ", SHIFTABLE_CATEGORICAL));
                }
                if (!(amount > 0 && amount < 100)) {
                    throw new IllegalArgumentException(
                            "Scenario '"
                                    + written
                                    + "' needs an amount above 0 and below 100 "
                                    + kind.unit());
                }
                break;
            case SHIFT_SCORE:
                if (feature != null) {
                    throw new IllegalArgumentException(
                            "Scenario 'shift:score' takes no feature, got '" + feature + "'");
                }
                break;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** i of feature_0i / feature_i (from 1), or 0 when {@code feature} is no such name. */
    public static int extraFeatureIndex(String feature) {
        if (feature == null || !feature.matches("feature_\\d{2,3}")) {
            return 0;
        }
        return Integer.parseInt(feature.substring("feature_".length()));
    }

    /**
     * Parses {@code NAME[=PARAMETERS][@ISO-8601-EVENT-TIME[/END]]}.
     *
     * @throws IllegalArgumentException naming the accepted names and format
     */
    public static Scenario parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int at = trimmed.indexOf('@');
        String written = at < 0 ? trimmed : trimmed.substring(0, at).trim();
        int equals = written.indexOf('=');
        String name = equals < 0 ? written : written.substring(0, equals).trim();
        Kind kind = Kind.fromConfigName(name);
        if (kind == null) {
            throw new IllegalArgumentException(
                    "Unknown scenario '" + name + "' in '" + trimmed + "'; " + acceptedText());
        }
        String feature = null;
        double amount = Double.NaN;
        if (kind.isShift()) {
            if (equals < 0) {
                throw new IllegalArgumentException(
                        "Scenario '"
                                + name
                                + "' needs its size in '"
                                + trimmed
                                + "'; "
                                + acceptedText());
            }
            String parameters = written.substring(equals + 1).trim();
            int colon = parameters.lastIndexOf(':');
            if (colon >= 0) {
                feature = parameters.substring(0, colon).trim();
            }
            amount = amount(kind, parameters.substring(colon + 1).trim(), trimmed);
        } else if (equals >= 0) {
            throw new IllegalArgumentException(
                    "Scenario '" + name + "' takes no parameters, got '" + trimmed + "'");
        }
        if (at < 0) {
            return new Scenario(kind, feature, amount, FROM_THE_START, TO_THE_END);
        }
        String time = trimmed.substring(at + 1).trim();
        int slash = time.indexOf('/');
        try {
            long start = epochMillis(slash >= 0 ? time.substring(0, slash) : time);
            long end = slash >= 0 ? epochMillis(time.substring(slash + 1)) : TO_THE_END;
            return new Scenario(kind, feature, amount, start, end);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "Invalid start time '"
                            + time
                            + "' of scenario '"
                            + name
                            + "'; "
                            + acceptedText(),
                    e);
        }
    }

    private static long epochMillis(String isoTime) {
        return OffsetDateTime.parse(isoTime.trim()).toInstant().toEpochMilli();
    }

    /** The amount of {@code text} such as {@code +0.3sd}, {@code 5pt} or {@code 5%}. */
    private static double amount(Kind kind, String text, String whole) {
        String unit = kind.unit();
        if (!text.endsWith(unit)) {
            throw new IllegalArgumentException(
                    "Scenario '"
                            + kind.configName
                            + "' needs its amount in "
                            + unit
                            + " (such as "
                            + kind.example
                            + "), got '"
                            + whole
                            + "'");
        }
        try {
            return Double.parseDouble(text.substring(0, text.length() - unit.length()).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Invalid amount '" + text + "' of scenario '" + whole + "'", e);
        }
    }

    /** Parses every entry of a {@code generator.scenarios} list. */
    public static List<Scenario> parseAll(List<String> texts) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String text : texts) {
            scenarios.add(parse(text));
        }
        return scenarios;
    }

    /** The accepted names and format, for error messages. */
    public static String acceptedText() {
        List<String> names = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            names.add(kind.example);
        }
        return "expected NAME, NAME@EVENT_TIME or NAME@START/END with NAME one of "
                + String.join(", ", names)
                + " and times in ISO-8601 with offset, such as 2026-01-01T00:30:00Z";
    }

    public Kind kind() {
        return kind;
    }

    /** The feature a shift moves; null for the fixed scenarios and {@code shift:score}. */
    public String feature() {
        return feature;
    }

    /** The size of a shift in its kind's unit (sd, pt or %); NaN for the fixed scenarios. */
    public double amount() {
        return amount;
    }

    /** Event time from which the scenario acts, epoch ms; {@link #FROM_THE_START} when unset. */
    public long startMillis() {
        return startMillis;
    }

    /** Event time at which the scenario stops acting, epoch ms; {@link #TO_THE_END} when unset. */
    public long endMillis() {
        return endMillis;
    }

    /** Whether the scenario acts on an event at {@code eventTime}. */
    public boolean isActiveAt(long eventTime) {
        return eventTime >= startMillis && eventTime < endMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Scenario)) {
            return false;
        }
        Scenario that = (Scenario) o;
        return kind == that.kind
                && Objects.equals(feature, that.feature)
                && Double.compare(amount, that.amount) == 0
                && startMillis == that.startMillis
                && endMillis == that.endMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, feature, amount, startMillis, endMillis);
    }

    /** How it is written before {@code @}: the name, and a shift's feature and amount. */
    public String written() {
        if (!kind.isShift()) {
            return kind.configName;
        }
        String size =
                (kind == Kind.SHIFT_NUMERIC || kind == Kind.SHIFT_SCORE) && amount > 0 ? "+" : "";
        String number =
                amount == Math.rint(amount)
                        ? Long.toString((long) amount)
                        : Double.toString(amount);
        return kind.configName
                + "="
                + (feature == null ? "" : feature + ":")
                + size
                + number
                + kind.unit();
    }

    @Override
    public String toString() {
        String name = written();
        if (startMillis == FROM_THE_START && endMillis == TO_THE_END) {
            return name;
        }
        String start =
                startMillis == FROM_THE_START ? "" : Instant.ofEpochMilli(startMillis).toString();
        return endMillis == TO_THE_END
                ? name + "@" + start
                : name + "@" + start + "/" + Instant.ofEpochMilli(endMillis);
    }
}
