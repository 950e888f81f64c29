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

    private static OptionalDouble percent(long numerator, long denominator) {
        return denominator == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * numerator / denominator);
    }
}
