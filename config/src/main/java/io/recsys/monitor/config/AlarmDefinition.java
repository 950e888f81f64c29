package io.recsys.monitor.config;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An alarm on one metric in the CloudWatch sense: a statistic of the metric per period compared
 * against a warning and a critical threshold, evaluated over the last N periods ({@code
 * EvaluationPeriods}) and raised when M of them breach ({@code DatapointsToAlarm}), with a rule for
 * periods without data ({@link TreatMissingData}). It also says what the alarm means to people: the
 * priority of each severity (P0 to P3, the operations guide's incident table), the route (which
 * topic), the incident kind whose playbook the alert carries, and the remediation action
 * subscribers may take.
 *
 * <p>The threshold is absolute, or relative to a baseline: with {@link #baselineMillis()} &gt; 0 a
 * period's value is first turned into its change in percent against the mean of the same series
 * over the baseline span that precedes the N evaluated periods, and that change is compared with
 * the thresholds (e.g. {@code LESS_THAN -20}: "CTR dropped more than 20 % against the last 24 h").
 *
 * <p>A seasonal threshold ({@link #isSeasonal()}) compares a period with the same period of the
 * previous days or weeks instead, the way a CloudWatch anomaly-detection band does: the value is
 * turned into its distance from that history's median in robust standard deviations (1.4826 x the
 * median absolute deviation, at least {@link #bandFloorPercent()} % of the median), and the
 * thresholds are the band's half-widths in those deviations, signed like the comparison ({@code
 * LESS_THAN -3}: "more than 3 deviations below the usual value for this hour"). While the history
 * is too short, the trailing mean over the baseline span stands in.
 *
 * <p>Immutable; built with {@link #builder(String, String)}. The builder rejects an impossible
 * definition (M of N, no threshold, a warning threshold beyond the critical one) with a {@link
 * ConfigException} naming the alarm.
 */
public final class AlarmDefinition implements Serializable {
    private static final long serialVersionUID = 3L;

    /** Where {@link #description(String)} writes the threshold of the severity at hand. */
    public static final String THRESHOLD_PLACEHOLDER = "{threshold}";

    /** How a period's value is compared with a threshold; names as in CloudWatch. */
    public enum Comparison {
        LESS_THAN("<", "LessThanThreshold"),
        LESS_THAN_OR_EQUAL("<=", "LessThanOrEqualToThreshold"),
        GREATER_THAN(">", "GreaterThanThreshold"),
        GREATER_THAN_OR_EQUAL(">=", "GreaterThanOrEqualToThreshold");

        private final String symbol;
        private final String cloudWatchName;

        Comparison(String symbol, String cloudWatchName) {
            this.symbol = symbol;
            this.cloudWatchName = cloudWatchName;
        }

        public boolean breaches(double value, double threshold) {
            switch (this) {
                case LESS_THAN:
                    return value < threshold;
                case LESS_THAN_OR_EQUAL:
                    return value <= threshold;
                case GREATER_THAN:
                    return value > threshold;
                default:
                    return value >= threshold;
            }
        }

        /** Whether a smaller value is worse (the critical threshold lies below the warning one). */
        public boolean lowerIsWorse() {
            return this == LESS_THAN || this == LESS_THAN_OR_EQUAL;
        }

        public String symbol() {
            return symbol;
        }

        /** The {@code ComparisonOperator} of CloudWatch. */
        public String cloudWatchName() {
            return cloudWatchName;
        }

        /** Accepts the CloudWatch name, the symbol or the enum name. */
        public static Comparison parse(String text) {
            for (Comparison c : values()) {
                if (c.symbol.equals(text)) {
                    return c;
                }
            }
            return byCloudWatchName(values(), Comparison::cloudWatchName, "comparison", text);
        }
    }

    /**
     * What a period without a datapoint means, exactly the four {@code TreatMissingData} values of
     * CloudWatch ("Configuring how CloudWatch alarms treat missing data", Amazon CloudWatch User
     * Guide):
     *
     * <ul>
     *   <li>{@code missing}: "the alarm does not consider missing data points when evaluating
     *       whether to change state"; when every period of the evaluation range is missing the
     *       alarm goes to INSUFFICIENT_DATA. The default, as in CloudWatch.
     *   <li>{@code notBreaching}: missing data points are treated as being within the threshold.
     *   <li>{@code breaching}: missing data points are treated as breaching the threshold.
     *   <li>{@code ignore}: "the current alarm state is maintained".
     * </ul>
     */
    public enum TreatMissingData {
        MISSING("missing"),
        NOT_BREACHING("notBreaching"),
        BREACHING("breaching"),
        IGNORE("ignore");

        private final String cloudWatchName;

        TreatMissingData(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        /** The {@code TreatMissingData} value of CloudWatch. */
        public String cloudWatchName() {
            return cloudWatchName;
        }

        public static TreatMissingData parse(String text) {
            return byCloudWatchName(
                    values(), TreatMissingData::cloudWatchName, "treat-missing-data", text);
        }
    }

    /**
     * Whether a period of a percentile metric with fewer samples than the percentile needs is
     * evaluated, CloudWatch's {@code EvaluateLowSampleCountPercentile}: {@code ignore} (the
     * default) leaves such a period out, so that it does not move the state; {@code evaluate}
     * compares it like any other. A percentile p (p >= 0.5) needs 10 / (1 - p) samples: 1,000 for
     * p99, 200 for p95, 20 for p50.
     */
    public enum LowSamplePercentiles {
        IGNORE("ignore"),
        EVALUATE("evaluate");

        private final String cloudWatchName;

        LowSamplePercentiles(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        /** The {@code EvaluateLowSampleCountPercentile} value of CloudWatch. */
        public String cloudWatchName() {
            return cloudWatchName;
        }

        public static LowSamplePercentiles parse(String text) {
            return byCloudWatchName(
                    values(), LowSamplePercentiles::cloudWatchName, "low-sample-percentiles", text);
        }
    }

    /** Confidence of the interval rule when an alarm names none. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    /** The statistic that turns the datapoints of one period into its value; CloudWatch names. */
    public enum Statistic {
        AVERAGE("Average"),
        SUM("Sum"),
        MINIMUM("Minimum"),
        MAXIMUM("Maximum"),
        SAMPLE_COUNT("SampleCount");

        private final String cloudWatchName;

        Statistic(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }

        public static Statistic parse(String text) {
            return byCloudWatchName(values(), Statistic::cloudWatchName, "statistic", text);
        }
    }

    /**
     * The constant whose CloudWatch name (any case) or enum name (any case, '-' for '_') is {@code
     * text}; otherwise an {@link IllegalArgumentException} that lists the CloudWatch names.
     */
    private static <E extends Enum<E>> E byCloudWatchName(
            E[] values, Function<E, String> cloudWatchName, String what, String text) {
        for (E e : values) {
            if (cloudWatchName.apply(e).equalsIgnoreCase(text)
                    || e.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = Arrays.stream(values).map(cloudWatchName).collect(Collectors.toList());
        String last = names.remove(names.size() - 1);
        throw new IllegalArgumentException(
                String.format(
                        "unknown %s '%s'; expected %s or %s",
                        what, text, String.join(", ", names), last));
    }

    /**
     * The default least deviation of a seasonal band, in percent of its centre: a history too
     * steady to show its own noise (e.g. seven identical hours) does not make a band of zero width.
     */
    public static final double DEFAULT_BAND_FLOOR_PERCENT = 5;

    /** The default flap limit: more than 4 news transitions within the flap span. */
    public static final int DEFAULT_FLAP_TRANSITIONS = 4;

    /** Bound of the flap limit, which sizes a ring of transition times in each series' state. */
    public static final int MAX_FLAP_TRANSITIONS = 100;

    /** Remediation actions an alert may ask its subscribers for; the job never executes them. */
    public static final List<String> ACTIONS =
            Collections.unmodifiableList(
                    Arrays.asList("none", "trigger_retraining", "rollback_model", "scale_up"));

    /**
     * Routes: one per SNS topic, or {@code by-severity} (a critical alert to the critical topic, a
     * warning to the warning topic).
     */
    public static final List<String> ROUTES =
            Collections.unmodifiableList(Arrays.asList("critical", "warning", "ml", "by-severity"));

    /** The definition's values; never handed out, so the definition stays immutable. */
    private final Builder v;

    private AlarmDefinition(Builder b) {
        v = b.copy();
        v.description = b.description == null ? b.name : b.description;
        Objects.requireNonNull(b.comparison, "comparison");
        Objects.requireNonNull(b.lowSamplePercentiles, "low samples");
        v.okPeriods = b.okPeriods < 0 ? b.evaluationPeriods : b.okPeriods;
        v.flapSpanMillis =
                b.flapSpanMillis < 0
                        ? Math.max(
                                        1L,
                                        (long) b.flapTransitions
                                                * (b.datapointsToAlarm + v.okPeriods))
                                * b.periodMillis
                        : b.flapSpanMillis;
        validate();
    }

    public static Builder builder(String name, String metric) {
        return new Builder(name, metric);
    }

    /** A builder holding this definition's values, to derive a changed copy. */
    public Builder toBuilder() {
        return v.copy();
    }

    private ConfigException invalid(String what) {
        return new ConfigException("Alarm '" + v.name + "': " + what);
    }

    private void validate() {
        if (v.name.isEmpty() || !v.name.matches("[A-Za-z0-9._-]+")) {
            throw invalid("a name needs letters, digits, '.', '_' or '-' only");
        }
        if (v.evaluationPeriods < 1
                || v.datapointsToAlarm < 1
                || v.datapointsToAlarm > v.evaluationPeriods) {
            throw invalid(
                    "datapoints to alarm ("
                            + v.datapointsToAlarm
                            + ") must be between 1 and the evaluation periods ("
                            + v.evaluationPeriods
                            + ")");
        }
        if (v.periodMillis <= 0) {
            throw invalid("period must be positive");
        }
        if (Double.isNaN(v.warningThreshold) && Double.isNaN(v.criticalThreshold)) {
            throw invalid("needs a warning or a critical threshold");
        }
        if (v.seasonal) {
            validateSeasonal();
        }
        if (!Double.isNaN(v.warningThreshold) && !Double.isNaN(v.criticalThreshold)) {
            boolean ordered =
                    v.comparison.lowerIsWorse()
                            ? v.criticalThreshold <= v.warningThreshold
                            : v.criticalThreshold >= v.warningThreshold;
            if (!ordered) {
                throw invalid(
                        "the critical threshold ("
                                + v.criticalThreshold
                                + ") must be at least as bad as the warning threshold ("
                                + v.warningThreshold
                                + ") for "
                                + v.comparison.cloudWatchName());
            }
        }
        if (v.baselineMillis < 0
                || (v.baselineMillis > 0 && v.baselineMillis % v.periodMillis != 0)) {
            throw invalid("the baseline span must be a whole number of periods");
        }
        if (v.baselineMillis > 0
                && (v.baselineMinDatapoints < 1 || v.baselineMinDatapoints > baselinePeriods())) {
            throw invalid(
                    "baseline minimum datapoints must be between 1 and the "
                            + baselinePeriods()
                            + " periods of the baseline span");
        }
        if (!(v.confidence == 0 || (v.confidence >= 0.5 && v.confidence < 1))) {
            throw invalid(
                    "confidence must be 0 (no interval rule) or at least 0.5 and below 1, not "
                            + v.confidence);
        }
        if (v.evaluationPeriods + baselinePeriods() > 10_000) {
            throw invalid("evaluation periods plus baseline periods must be at most 10000");
        }
        for (String p : Arrays.asList(v.warningPriority, v.criticalPriority)) {
            if (!p.matches("P[0-3]")) {
                throw invalid("priority '" + p + "' is not one of P0, P1, P2, P3");
            }
        }
        if (!ROUTES.contains(v.route)) {
            throw invalid("route '" + v.route + "' is not one of " + ROUTES);
        }
        if (!ACTIONS.contains(v.action)) {
            throw invalid("action '" + v.action + "' is not one of " + ACTIONS);
        }
        if (!"warning".equals(v.actionSeverity) && !"critical".equals(v.actionSeverity)) {
            throw invalid("action-severity must be warning or critical");
        }
        if (v.okPeriods < 1 || v.okPeriods > 10_000) {
            throw invalid("ok-periods must be between 1 and 10000");
        }
        if (v.flapTransitions < 0 || v.flapTransitions > MAX_FLAP_TRANSITIONS) {
            throw invalid(
                    "flap-transitions must be between 0 (no flap detection) and "
                            + MAX_FLAP_TRANSITIONS);
        }
        if (v.flapSpanMillis <= 0) {
            throw invalid("flap-span must be positive");
        }
        if (v.dimensionSets.isEmpty()) {
            throw invalid("needs at least one dimension set ('' for the overall series)");
        }
        for (String set : v.dimensionSets) {
            String sorted = sortedDimensionSet(set);
            if (!sorted.equals(set)) {
                throw invalid(
                        "dimension set '"
                                + set
                                + "' must list its names sorted and comma-joined, e.g. "
                                + sorted);
            }
        }
    }

    /** Longest history a seasonal alarm keeps, in periods: 4 weeks of 10-minute periods. */
    public static final int MAX_SEASONAL_HISTORY_PERIODS = 4032;

    private void validateSeasonal() {
        if (v.baselineMillis <= 0) {
            throw invalid("a seasonal threshold needs a baseline span for its warm-up");
        }
        if (DAY_MILLIS % v.periodMillis != 0
                || seasonalHistoryPeriods() > MAX_SEASONAL_HISTORY_PERIODS) {
            throw invalid(
                    "a seasonal threshold needs a period that divides a day and is at least "
                            + SEASONAL_HISTORY_DAYS
                                    * DAY_MILLIS
                                    / MAX_SEASONAL_HISTORY_PERIODS
                                    / 60_000
                            + " minutes");
        }
        for (double t : new double[] {v.warningThreshold, v.criticalThreshold}) {
            if (!Double.isNaN(t) && (t == 0 || (t < 0) != v.comparison.lowerIsWorse())) {
                throw invalid(
                        "the thresholds of a seasonal alarm are band widths in standard deviations,"
                                + " negative below the band (LessThan), positive above it, not "
                                + t);
            }
        }
        if (!(v.bandFloorPercent >= 0 && v.bandFloorPercent < 100)) {
            throw invalid("band-floor must be at least 0 and below 100 percent");
        }
    }

    /** The dimension names of {@code set} trimmed, sorted and comma-joined, without empty ones. */
    static String sortedDimensionSet(String set) {
        List<String> names = new ArrayList<>();
        for (String n : set.split(",")) {
            if (!n.trim().isEmpty()) {
                names.add(n.trim());
            }
        }
        Collections.sort(names);
        return String.join(",", names);
    }

    public String name() {
        return v.name;
    }

    public String metric() {
        return v.metric;
    }

    /**
     * One line a person understands, as written: e.g. "Click-through rate below {threshold}%", with
     * {@link #THRESHOLD_PLACEHOLDER} where a severity's threshold goes (see {@link
     * #description(String)}).
     */
    public String description() {
        return v.description;
    }

    /**
     * The description for one severity, every {@link #THRESHOLD_PLACEHOLDER} replaced by that
     * severity's threshold ("Click-through rate below 2.5%" at warning, "below 2%" at critical), so
     * that an alert quotes the level that was crossed, not the other one. A description without the
     * placeholder is returned as written; a severity without a threshold leaves it as written.
     */
    public String description(String severity) {
        double threshold = threshold(severity);
        if (Double.isNaN(threshold) || !v.description.contains(THRESHOLD_PLACEHOLDER)) {
            return v.description;
        }
        return v.description.replace(THRESHOLD_PLACEHOLDER, plain(threshold));
    }

    /** A threshold as a person writes it: 1000, 2.5, 0.4, -20 (no trailing zeros, no exponent). */
    static String plain(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "infinity" : "-infinity";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * The dimension sets this alarm watches, each the comma-joined sorted dimension names of a
     * series ("" for overall, "ModelVersion", "ModelVersion,UserSegment").
     */
    public List<String> dimensionSets() {
        return Collections.unmodifiableList(v.dimensionSets);
    }

    /**
     * Dimension values a series must have to be watched (e.g. Stream=predictions); may be empty.
     */
    public Map<String, String> dimensionFilter() {
        return Collections.unmodifiableMap(v.dimensionFilter);
    }

    public Comparison comparison() {
        return v.comparison;
    }

    public Statistic statistic() {
        return v.statistic;
    }

    /** NaN when the alarm has no warning level. */
    public double warningThreshold() {
        return v.warningThreshold;
    }

    /** NaN when the alarm has no critical level. */
    public double criticalThreshold() {
        return v.criticalThreshold;
    }

    public long periodMillis() {
        return v.periodMillis;
    }

    public int evaluationPeriods() {
        return v.evaluationPeriods;
    }

    public int datapointsToAlarm() {
        return v.datapointsToAlarm;
    }

    public TreatMissingData treatMissingData() {
        return v.treatMissingData;
    }

    /** Span of the baseline of a relative threshold, ms; 0 for an absolute threshold. */
    public long baselineMillis() {
        return v.baselineMillis;
    }

    public boolean isRelative() {
        return v.baselineMillis > 0;
    }

    /** Periods in the baseline span (0 for an absolute threshold). */
    public int baselinePeriods() {
        return (int) (v.baselineMillis / v.periodMillis);
    }

    /** Days of history a seasonal threshold keeps: 4 weeks, for the same hour of the week. */
    public static final int SEASONAL_HISTORY_DAYS = 28;

    static final long DAY_MILLIS = 86_400_000L;

    /**
     * Whether the threshold is seasonal: the band around the same period of previous days or weeks
     * (see the class comment); the baseline span is then the warm-up's trailing mean.
     */
    public boolean isSeasonal() {
        return v.seasonal;
    }

    /** The least half-width of a seasonal band's deviation, in percent of its centre. */
    public double bandFloorPercent() {
        return v.bandFloorPercent;
    }

    /** Periods in a day (seasonal thresholds only). */
    public int periodsPerDay() {
        return (int) (DAY_MILLIS / v.periodMillis);
    }

    /** Periods of history a seasonal threshold keeps per series; 0 for others. */
    public int seasonalHistoryPeriods() {
        return v.seasonal ? (int) (SEASONAL_HISTORY_DAYS * DAY_MILLIS / v.periodMillis) : 0;
    }

    /** Periods with data the baseline needs before a relative threshold is evaluated at all. */
    public int baselineMinDatapoints() {
        return v.baselineMinDatapoints;
    }

    /**
     * Confidence of the interval a ratio or mean period is judged by (0.95 unless set); 0 turns the
     * interval rule off, so that every period is compared by its value alone.
     */
    public double confidence() {
        return v.confidence;
    }

    /** Whether the interval rule applies: a confidence above 0. */
    public boolean usesIntervals() {
        return v.confidence > 0;
    }

    /** What a percentile period with too few samples does; {@code ignore} unless set. */
    public LowSamplePercentiles lowSamplePercentiles() {
        return v.lowSamplePercentiles;
    }

    /** P0 to P3 of a raised alarm at {@code severity} (warning or critical). */
    public String priority(String severity) {
        return "critical".equals(severity) ? v.criticalPriority : v.warningPriority;
    }

    public String warningPriority() {
        return v.warningPriority;
    }

    public String criticalPriority() {
        return v.criticalPriority;
    }

    /** Which topic the alerts of this alarm go to: critical, warning or ml. */
    public String route() {
        return v.route;
    }

    /** The remediation action of a raised alarm: none, trigger_retraining, rollback_model... */
    public String action() {
        return v.action;
    }

    /**
     * The lowest severity at which {@link #action()} is asked for: warning (both) or critical (e.g.
     * the guide retrains only when the prediction mean shift exceeds 3, not 2).
     */
    public String actionSeverity() {
        return v.actionSeverity;
    }

    /** The action asked for by a raised alarm at {@code severity}: {@link #action()} or none. */
    public String actionAt(String severity) {
        if ("warning".equals(v.actionSeverity) || "critical".equals(severity)) {
            return v.action;
        }
        return "none";
    }

    /** The route of an alert at {@code severity}: {@code by-severity} resolved to a topic. */
    public String routeAt(String severity) {
        if ("by-severity".equals(v.route)) {
            return "critical".equals(severity) ? "critical" : "warning";
        }
        return v.route;
    }

    /** The incident kind, which names the playbook an alert carries (e.g. high-error-rate). */
    public String kind() {
        return v.kind;
    }

    /**
     * Consecutive good periods (with data, or missing under notBreaching, and breaching no level)
     * that an ALARM needs before it resolves, and periods without a critical breach that a critical
     * ALARM needs before it de-escalates to warning. Defaults to the evaluation periods N.
     */
    public int okPeriods() {
        return v.okPeriods;
    }

    /**
     * The flap limit: more than this many news transitions (raised, resolved, escalated,
     * de-escalated, no data) of a series within {@link #flapSpanMillis()} make it flap. 0 switches
     * flap detection off. Default 4.
     */
    public int flapTransitions() {
        return v.flapTransitions;
    }

    /**
     * The span of the flap limit, ms, and the quiet span a flapping series needs to count as stable
     * again. Default: {@code flap-transitions x (datapoints-to-alarm + ok-periods)} periods, twice
     * the time the transitions take when the series flaps as fast as hysteresis lets it (a raise
     * needs M periods, a resolve ok-periods), so that flapping at up to half that speed is caught.
     */
    public long flapSpanMillis() {
        return v.flapSpanMillis;
    }

    /** The threshold of {@code severity}. */
    public double threshold(String severity) {
        return "critical".equals(severity) ? v.criticalThreshold : v.warningThreshold;
    }

    /**
     * Whether a series with these dimension names is watched by this alarm (filter not applied).
     */
    public boolean watches(String metricName, Collection<String> sortedDimensionNames) {
        return v.metric.equals(metricName)
                && v.dimensionSets.contains(String.join(",", sortedDimensionNames));
    }

    /** Whether a series with these dimensions (sorted by name) is watched by this alarm. */
    public boolean watches(String metricName, Map<String, String> dimensions) {
        if (!watches(metricName, dimensions.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> f : v.dimensionFilter.entrySet()) {
            if (!f.getValue().equals(dimensions.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlarmDefinition)) {
            return false;
        }
        AlarmDefinition t = (AlarmDefinition) o;
        return v.name.equals(t.v.name)
                && v.metric.equals(t.v.metric)
                && v.description.equals(t.v.description)
                && v.dimensionSets.equals(t.v.dimensionSets)
                && v.dimensionFilter.equals(t.v.dimensionFilter)
                && v.comparison == t.v.comparison
                && v.statistic == t.v.statistic
                && Double.compare(v.warningThreshold, t.v.warningThreshold) == 0
                && Double.compare(v.criticalThreshold, t.v.criticalThreshold) == 0
                && v.periodMillis == t.v.periodMillis
                && v.evaluationPeriods == t.v.evaluationPeriods
                && v.datapointsToAlarm == t.v.datapointsToAlarm
                && v.treatMissingData == t.v.treatMissingData
                && v.baselineMillis == t.v.baselineMillis
                && v.baselineMinDatapoints == t.v.baselineMinDatapoints
                && v.seasonal == t.v.seasonal
                && Double.compare(v.bandFloorPercent, t.v.bandFloorPercent) == 0
                && Double.compare(v.confidence, t.v.confidence) == 0
                && v.lowSamplePercentiles == t.v.lowSamplePercentiles
                && v.warningPriority.equals(t.v.warningPriority)
                && v.criticalPriority.equals(t.v.criticalPriority)
                && v.route.equals(t.v.route)
                && v.action.equals(t.v.action)
                && v.actionSeverity.equals(t.v.actionSeverity)
                && v.kind.equals(t.v.kind)
                && v.okPeriods == t.v.okPeriods
                && v.flapTransitions == t.v.flapTransitions
                && v.flapSpanMillis == t.v.flapSpanMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(v.name, v.metric, v.comparison, v.periodMillis, v.evaluationPeriods);
    }

    @Override
    public String toString() {
        // Seasonal alarms say so; the others keep the text of the previous release, which names
        // the definition a series' state was sized for (a changed text restarts its history).
        String seasonal =
                v.seasonal
                        ? String.format(Locale.ROOT, ", seasonal floor %s%%", v.bandFloorPercent)
                        : "";
        return seasonal.isEmpty() ? plainText() : plainText() + seasonal;
    }

    private String plainText() {
        return String.format(
                Locale.ROOT,
                "%s: %s(%s) %s warning %s critical %s, %d of %d x %d s, missing=%s",
                v.name,
                v.statistic.cloudWatchName(),
                v.metric,
                v.comparison.symbol(),
                v.warningThreshold,
                v.criticalThreshold,
                v.datapointsToAlarm,
                v.evaluationPeriods,
                v.periodMillis / 1000,
                v.treatMissingData.cloudWatchName());
    }

    /** Collects the fields of a definition; {@link #build()} validates them. */
    public static final class Builder implements Serializable, Cloneable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final String metric;
        private String description;
        private List<String> dimensionSets = new ArrayList<>(Collections.singletonList(""));
        private Map<String, String> dimensionFilter = new TreeMap<>();
        private Comparison comparison;
        private Statistic statistic = Statistic.AVERAGE;
        private double warningThreshold = Double.NaN;
        private double criticalThreshold = Double.NaN;
        private long periodMillis = 60_000L;
        private int evaluationPeriods = 1;
        private int datapointsToAlarm = -1;
        private TreatMissingData treatMissingData = TreatMissingData.MISSING;
        private long baselineMillis;
        private int baselineMinDatapoints = -1;
        private boolean seasonal;
        private double bandFloorPercent = DEFAULT_BAND_FLOOR_PERCENT;
        private double confidence = DEFAULT_CONFIDENCE;
        private LowSamplePercentiles lowSamplePercentiles = LowSamplePercentiles.IGNORE;
        private String warningPriority = "P3";
        private String criticalPriority = "P2";
        private String route = "warning";
        private String action = "none";
        private String actionSeverity = "warning";
        private String kind = "generic";
        private int okPeriods = -1;
        private int flapTransitions = DEFAULT_FLAP_TRANSITIONS;
        private long flapSpanMillis = -1;

        private Builder(String name, String metric) {
            this.name = Objects.requireNonNull(name, "name");
            this.metric = Objects.requireNonNull(metric, "metric");
        }

        public Builder description(String v) {
            description = v;
            return this;
        }

        public Builder dimensionSets(List<String> v) {
            dimensionSets = new ArrayList<>(v);
            return this;
        }

        public Builder dimensionFilter(Map<String, String> v) {
            dimensionFilter = new TreeMap<>(v);
            return this;
        }

        public Builder comparison(Comparison v) {
            comparison = v;
            return this;
        }

        public Builder statistic(Statistic v) {
            statistic = v;
            return this;
        }

        public Builder warningThreshold(double v) {
            warningThreshold = v;
            return this;
        }

        public Builder criticalThreshold(double v) {
            criticalThreshold = v;
            return this;
        }

        public Builder periodMillis(long v) {
            periodMillis = v;
            return this;
        }

        public Builder evaluationPeriods(int v) {
            evaluationPeriods = v;
            return this;
        }

        /** Defaults to the evaluation periods (N of N) when never set. */
        public Builder datapointsToAlarm(int v) {
            datapointsToAlarm = v;
            return this;
        }

        public Builder treatMissingData(TreatMissingData v) {
            treatMissingData = v;
            return this;
        }

        public Builder baselineMillis(long v) {
            baselineMillis = v;
            return this;
        }

        /** Defaults to half the baseline periods, rounded up. */
        public Builder baselineMinDatapoints(int v) {
            baselineMinDatapoints = v;
            return this;
        }

        /** A seasonal threshold (see the class comment); false unless set. */
        public Builder seasonal(boolean v) {
            seasonal = v;
            return this;
        }

        /** {@value #DEFAULT_BAND_FLOOR_PERCENT} unless set. */
        public Builder bandFloorPercent(double v) {
            bandFloorPercent = v;
            return this;
        }

        /** 0.95 unless set; 0 turns the interval rule off. */
        public Builder confidence(double v) {
            confidence = v;
            return this;
        }

        /** {@code ignore} unless set. */
        public Builder lowSamplePercentiles(LowSamplePercentiles v) {
            lowSamplePercentiles = v;
            return this;
        }

        public Builder warningPriority(String v) {
            warningPriority = v;
            return this;
        }

        public Builder criticalPriority(String v) {
            criticalPriority = v;
            return this;
        }

        public Builder route(String v) {
            route = v;
            return this;
        }

        public Builder action(String v) {
            action = v;
            return this;
        }

        public Builder actionSeverity(String v) {
            actionSeverity = v;
            return this;
        }

        public Builder kind(String v) {
            kind = v;
            return this;
        }

        /** Defaults to the evaluation periods N when never set. */
        public Builder okPeriods(int v) {
            okPeriods = v;
            return this;
        }

        /** Defaults to {@value #DEFAULT_FLAP_TRANSITIONS}; 0 switches flap detection off. */
        public Builder flapTransitions(int v) {
            flapTransitions = v;
            return this;
        }

        /** Defaults to flap-transitions x (M + ok-periods) periods (one period with 0). */
        public Builder flapSpanMillis(long v) {
            flapSpanMillis = v;
            return this;
        }

        /** A copy whose collections are its own. */
        private Builder copy() {
            try {
                Builder c = (Builder) clone();
                c.dimensionSets = new ArrayList<>(dimensionSets);
                c.dimensionFilter = new TreeMap<>(dimensionFilter);
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        public AlarmDefinition build() {
            if (datapointsToAlarm < 0) {
                datapointsToAlarm = evaluationPeriods;
            }
            if (baselineMinDatapoints < 0) {
                long periods = periodMillis > 0 ? baselineMillis / periodMillis : 0;
                baselineMinDatapoints = (int) Math.max(1, (periods + 1) / 2);
            }
            return new AlarmDefinition(this);
        }
    }
}
