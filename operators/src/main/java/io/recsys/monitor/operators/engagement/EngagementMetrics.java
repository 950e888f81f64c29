package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.MetricNames;
import java.util.OptionalDouble;

/**
 * The engagement KPIs of the operations guide, computed from funnel counts. A ratio whose
 * denominator is zero is absent rather than 0 or NaN: a window without clicks has no conversion
 * rate, and reporting 0 would raise false alarms.
 */
public final class EngagementMetrics {
    public static final String CTR = MetricNames.CTR;
    public static final String CONVERSION_RATE = MetricNames.CONVERSION_RATE;
    public static final String AVERAGE_ORDER_VALUE = MetricNames.AVERAGE_ORDER_VALUE;
    public static final String UNATTRIBUTED_FEEDBACK = MetricNames.UNATTRIBUTED_FEEDBACK;
    public static final String REVENUE = MetricNames.REVENUE;
    public static final String ADD_TO_CART_RATE = MetricNames.ADD_TO_CART_RATE;
    public static final String CTR_AT_RANK = MetricNames.CTR_AT_RANK;

    private EngagementMetrics() {}

    /** Clicks per impression (or per recommended item served) in percent. */
    public static OptionalDouble clickThroughRate(EngagementCounts c, CtrDenominator denominator) {
        return percent(c.clicks, clickThroughTrials(c, denominator));
    }

    /** The trials of CTR: impressions, or recommended items served. */
    public static long clickThroughTrials(EngagementCounts c, CtrDenominator denominator) {
        return denominator == CtrDenominator.IMPRESSIONS ? c.impressions : c.itemsServed;
    }

    /** Purchases per click in percent. */
    public static OptionalDouble conversionRate(EngagementCounts c) {
        return percent(c.purchases, c.clicks);
    }

    /** Revenue per purchase. */
    public static OptionalDouble averageOrderValue(EngagementCounts c) {
        return c.purchases == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(c.revenue / c.purchases);
    }

    /**
     * Sample standard deviation (n - 1) of the order values of the purchases; NaN with fewer than
     * two purchases or when the counts lack the sum of squares (restored from older state).
     */
    public static double orderValueStdDev(EngagementCounts c) {
        long n = c.purchases;
        if (n < 2 || c.orderValuesInSumOfSquares != n) {
            return Double.NaN;
        }
        double variance = (c.orderValueSumOfSquares - c.revenue * c.revenue / n) / (n - 1);
        // Cancellation can leave a tiny negative variance when all orders are equal.
        return Math.sqrt(Math.max(0, variance));
    }

    /** Sum of the order values of attributed purchases; 0 is a real value here, not a gap. */
    public static double revenue(EngagementCounts c) {
        return c.revenue;
    }

    /** Add-to-carts per click in percent. */
    public static OptionalDouble addToCartRate(EngagementCounts c) {
        return percent(c.addToCarts, c.clicks);
    }

    /**
     * Clicks on the items at {@code rank} (1 to {@link EngagementCounts#RANKS}) per impression of
     * the items at that rank (or per response that had an item there), in percent.
     */
    public static OptionalDouble clickThroughRateAtRank(
            EngagementCounts c, int rank, CtrDenominator denominator) {
        return percent(c.clicksAtRank[rank - 1], clickThroughTrialsAtRank(c, rank, denominator));
    }

    /** The trials of CTRAtRank: impressions at the rank, or responses with an item there. */
    public static long clickThroughTrialsAtRank(
            EngagementCounts c, int rank, CtrDenominator denominator) {
        if (rank < 1 || rank > EngagementCounts.RANKS) {
            throw new IllegalArgumentException("rank must be 1.." + EngagementCounts.RANKS);
        }
        return denominator == CtrDenominator.IMPRESSIONS
                ? c.impressionsAtRank[rank - 1]
                : c.servedAtRank[rank - 1];
    }

    /** Mean Precision@10 of the responses whose ranking quality was measured. */
    public static OptionalDouble precisionAt10(EngagementCounts c) {
        return mean(c.precisionAt10Sum, c.rankedResponses);
    }

    /** Mean Recall@10 of the responses whose ranking quality was measured. */
    public static OptionalDouble recallAt10(EngagementCounts c) {
        return mean(c.recallAt10Sum, c.rankedResponses);
    }

    /** Mean NDCG@10 of the responses whose ranking quality was measured. */
    public static OptionalDouble ndcgAt10(EngagementCounts c) {
        return mean(c.ndcgAt10Sum, c.rankedResponses);
    }

    /** Mean reciprocal rank of the responses whose ranking quality was measured. */
    public static OptionalDouble meanReciprocalRank(EngagementCounts c) {
        return mean(c.reciprocalRankSum, c.rankedResponses);
    }

    private static OptionalDouble mean(double sum, long count) {
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
    }

    private static OptionalDouble percent(long numerator, long denominator) {
        return denominator == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * numerator / denominator);
    }
}
