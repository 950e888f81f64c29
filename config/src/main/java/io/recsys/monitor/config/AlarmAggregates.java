package io.recsys.monitor.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the history of an alarm's series holds: one statistic of one metric per period, for N
 * periods of a given length. Two definitions with the same aggregates can share that history: new
 * thresholds, a new comparison or a threshold turned seasonal do not invalidate it; another
 * statistic, metric, period or N does.
 *
 * <p>A series' state names its definition by {@link AlarmDefinition#toString()} (the text of every
 * release so far), so {@link #parse} reads the aggregates back from that text as a whole, field by
 * field, rather than looking for pieces of it.
 */
public final class AlarmAggregates {
    /**
     * {@link AlarmDefinition#toString()}: "NAME: STAT(METRIC) CMP warning W critical C, M of N x P
     * s, missing=T" and, for seasonal alarms, ", seasonal floor F%".
     */
    private static final Pattern DEFINITION_TEXT =
            Pattern.compile(
                    "(?<name>.+): (?<statistic>[A-Za-z0-9.]+)\\((?<metric>[^()]+)\\) \\S+"
                            + " warning \\S+ critical \\S+, \\d+ of (?<periods>\\d+) x"
                            + " (?<seconds>\\d+) s, missing=\\w+(, seasonal floor \\S+%)?");

    private final String name;
    private final String statistic;
    private final String metric;
    private final int evaluationPeriods;
    private final long periodSeconds;

    private AlarmAggregates(
            String name,
            String statistic,
            String metric,
            int evaluationPeriods,
            long periodSeconds) {
        this.name = name;
        this.statistic = statistic;
        this.metric = metric;
        this.evaluationPeriods = evaluationPeriods;
        this.periodSeconds = periodSeconds;
    }

    /** The aggregates of {@code d}. */
    public static AlarmAggregates of(AlarmDefinition d) {
        return new AlarmAggregates(
                d.name(),
                d.statistic().cloudWatchName(),
                d.metric(),
                d.evaluationPeriods(),
                d.periodMillis() / 1000);
    }

    /**
     * The aggregates of the definition written {@code text} ({@link AlarmDefinition#toString()});
     * empty when the text is not such a definition.
     */
    public static Optional<AlarmAggregates> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DEFINITION_TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new AlarmAggregates(
                            m.group("name"),
                            m.group("statistic"),
                            m.group("metric"),
                            Integer.parseInt(m.group("periods")),
                            Long.parseLong(m.group("seconds"))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlarmAggregates)) {
            return false;
        }
        AlarmAggregates other = (AlarmAggregates) o;
        return name.equals(other.name)
                && statistic.equals(other.statistic)
                && metric.equals(other.metric)
                && evaluationPeriods == other.evaluationPeriods
                && periodSeconds == other.periodSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, statistic, metric, evaluationPeriods, periodSeconds);
    }

    @Override
    public String toString() {
        return name
                + ": "
                + statistic
                + "("
                + metric
                + ") over "
                + evaluationPeriods
                + " x "
                + periodSeconds
                + " s";
    }
}
