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
        long shown = denominator == CtrDenominator.IMPRESSIONS ? c.impressions : c.itemsServed;
        return percent(c.clicks, shown);
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
        if (rank < 1 || rank > EngagementCounts.RANKS) {
            throw new IllegalArgumentException("rank must be 1.." + EngagementCounts.RANKS);
        }
        long shown =
                denominator == CtrDenominator.IMPRESSIONS
                        ? c.impressionsAtRank[rank - 1]
                        : c.servedAtRank[rank - 1];
        return percent(c.clicksAtRank[rank - 1], shown);
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
