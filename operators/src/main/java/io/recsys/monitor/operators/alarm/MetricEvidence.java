package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.model.MetricNames;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Which statistical rule judges a period of a metric, from the metric's name: a property of what
 * the metric measures, not of an alarm. Four kinds:
 *
 * <ul>
 *   <li>{@link Kind#PROPORTION}: a share of trials, in percent (0 to 100): CTR, CTRAtRank,
 *       ConversionRate, AddToCartRate, ErrorRate, Availability, CoveragePercentage,
 *       FeatureMissingRate. Judged by the Wilson score interval of the pooled successes and trials.
 *   <li>{@link Kind#MEAN}: a mean of samples, e.g. AverageOrderValue, DiversityScore. Judged by the
 *       Student-t interval from the pooled count, sum and sum of squares.
 *   <li>{@link Kind#PERCENTILE}: LatencyP50, P95, P99. A period with fewer than {@link
 *       #minimumSamples()} samples is not evaluated unless the alarm says {@code evaluate}.
 *   <li>{@link Kind#NONE}: counts, sums, drift statistics and every metric a user adds: compared by
 *       value alone.
 * </ul>
 *
 * <p>A datapoint carries its evidence in {@code MetricPoint.samples} (and {@code sampleStdDev} for
 * a mean); a datapoint without it is compared by value whatever its kind.
 */
public final class MetricEvidence {
    /** The rule families. */
    public enum Kind {
        PROPORTION,
        MEAN,
        PERCENTILE,
        NONE
    }

    private static final MetricEvidence NOTHING = new MetricEvidence(Kind.NONE, Double.NaN);

    private static final Map<String, MetricEvidence> BY_METRIC;

    static {
        Map<String, MetricEvidence> m = new HashMap<>();
        for (String proportion :
                new String[] {
                    MetricNames.CTR,
                    MetricNames.CTR_AT_RANK,
                    MetricNames.CONVERSION_RATE,
                    MetricNames.ADD_TO_CART_RATE,
                    MetricNames.ERROR_RATE,
                    MetricNames.AVAILABILITY,
                    MetricNames.COVERAGE,
                    MetricNames.FEATURE_MISSING_RATE
                }) {
            m.put(proportion, new MetricEvidence(Kind.PROPORTION, Double.NaN));
        }
        m.put(MetricNames.AVERAGE_ORDER_VALUE, new MetricEvidence(Kind.MEAN, Double.NaN));
        m.put(MetricNames.DIVERSITY, new MetricEvidence(Kind.MEAN, Double.NaN));
        m.put(MetricNames.LATENCY_P50, new MetricEvidence(Kind.PERCENTILE, 0.50));
        m.put(MetricNames.LATENCY_P95, new MetricEvidence(Kind.PERCENTILE, 0.95));
        m.put(MetricNames.LATENCY_P99, new MetricEvidence(Kind.PERCENTILE, 0.99));
        BY_METRIC = Collections.unmodifiableMap(m);
    }

    private final Kind kind;
    private final double percentile;

    private MetricEvidence(Kind kind, double percentile) {
        this.kind = kind;
        this.percentile = percentile;
    }

    /** The rule of {@code metric}; {@link Kind#NONE} for a metric not listed. */
    public static MetricEvidence of(String metric) {
        return BY_METRIC.getOrDefault(metric, NOTHING);
    }

    public Kind kind() {
        return kind;
    }

    /** The percentile as a fraction (0.99 for p99); NaN unless {@link Kind#PERCENTILE}. */
    public double percentile() {
        return percentile;
    }

    /**
     * The fewest samples a period of this percentile needs to be evaluated, CloudWatch's rule for
     * {@code EvaluateLowSampleCountPercentile}: 10 / (1 - p) for p >= 0.5 (1,000 for p99, 200 for
     * p95, 20 for p50) and 10 / p below; 0 for other kinds.
     */
    public long minimumSamples() {
        if (kind != Kind.PERCENTILE) {
            return 0;
        }
        double tail = percentile >= 0.5 ? 1 - percentile : percentile;
        // 10 / (1 - p) is not exact in binary: a quotient a hair above a whole number must not
        // round up to the next one.
        return (long) Math.ceil(10 / tail - 1e-6);
    }
}
