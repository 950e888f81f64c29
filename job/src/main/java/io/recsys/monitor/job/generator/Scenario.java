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
        MALFORMED_EVENTS("malformed-events");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        /** The name used in {@code generator.scenarios}. */
        public String configName() {
            return configName;
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

    /** Start of a scenario written without a time: active for every event. */
    public static final long FROM_THE_START = Long.MIN_VALUE;

    /** End of a scenario written without an end: active to the end of the stream. */
    public static final long TO_THE_END = Long.MAX_VALUE;

    private final Kind kind;
    private final long startMillis;
    private final long endMillis;

    public Scenario(Kind kind, long startMillis) {
        this(kind, startMillis, TO_THE_END);
    }

    public Scenario(Kind kind, long startMillis, long endMillis) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        if (endMillis <= startMillis) {
            throw new IllegalArgumentException(
                    "Scenario '" + kind.configName + "' ends before it starts");
        }
    }

    /**
     * Parses {@code NAME[@ISO-8601-EVENT-TIME]}.
     *
     * @throws IllegalArgumentException naming the accepted names and format
     */
    public static Scenario parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int at = trimmed.indexOf('@');
        String name = at < 0 ? trimmed : trimmed.substring(0, at).trim();
        Kind kind = Kind.fromConfigName(name);
        if (kind == null) {
            throw new IllegalArgumentException(
                    "Unknown scenario '" + name + "' in '" + trimmed + "'; " + acceptedText());
        }
        if (at < 0) {
            return new Scenario(kind, FROM_THE_START);
        }
        String time = trimmed.substring(at + 1).trim();
        int slash = time.indexOf('/');
        try {
            if (slash >= 0) {
                return new Scenario(
                        kind,
                        OffsetDateTime.parse(time.substring(0, slash).trim())
                                .toInstant()
                                .toEpochMilli(),
                        OffsetDateTime.parse(time.substring(slash + 1).trim())
                                .toInstant()
                                .toEpochMilli());
            }
            return new Scenario(kind, OffsetDateTime.parse(time).toInstant().toEpochMilli());
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
            names.add(kind.configName);
        }
        return "expected NAME, NAME@EVENT_TIME or NAME@START/END with NAME one of "
                + String.join(", ", names)
                + " and times in ISO-8601 with offset, such as 2026-01-01T00:30:00Z";
    }

    public Kind kind() {
        return kind;
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
        return kind == that.kind && startMillis == that.startMillis && endMillis == that.endMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, startMillis, endMillis);
    }

    @Override
    public String toString() {
        if (startMillis == FROM_THE_START && endMillis == TO_THE_END) {
            return kind.configName;
        }
        String start =
                startMillis == FROM_THE_START ? "" : Instant.ofEpochMilli(startMillis).toString();
        return endMillis == TO_THE_END
                ? kind.configName + "@" + start
                : kind.configName + "@" + start + "/" + Instant.ofEpochMilli(endMillis);
    }
}
