package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import org.junit.jupiter.api.Test;

class EngagementMetricsTest {

    private static EngagementSignal signal(Kind kind, int items, double value) {
        return new EngagementSignal(0L, "v1", "new", kind, items, value, 1);
    }

    /** 2 responses of 10 items, 16 impressions, 1 click... worked out by hand below. */
    private static EngagementCounts sample() {
        EngagementCounts c = new EngagementCounts();
        c.add(signal(Kind.SERVED, 10, 0));
        c.add(signal(Kind.SERVED, 10, 0));
        for (int i = 0; i < 16; i++) {
            c.add(signal(Kind.IMPRESSION, 0, 0));
        }
        for (int i = 0; i < 4; i++) {
            c.add(signal(Kind.CLICK, 0, 0));
        }
        c.add(signal(Kind.ADD_TO_CART, 0, 0));
        c.add(signal(Kind.PURCHASE, 0, 50.0));
        c.add(signal(Kind.PURCHASE, 0, 100.0));
        return c;
    }

    @Test
    void ratiosByHand() {
        EngagementCounts c = sample();
        // 4 clicks / 16 impressions = 25 %; / 20 items served = 20 %.
        assertThat(EngagementMetrics.clickThroughRate(c, CtrDenominator.IMPRESSIONS).getAsDouble())
                .isCloseTo(25.0, within(1e-12));
        assertThat(
                        EngagementMetrics.clickThroughRate(c, CtrDenominator.RECOMMENDED_ITEMS)
                                .getAsDouble())
                .isCloseTo(20.0, within(1e-12));
        // 2 purchases / 4 clicks = 50 %; (50 + 100) / 2 = 75.
        assertThat(EngagementMetrics.conversionRate(c).getAsDouble())
                .isCloseTo(50.0, within(1e-12));
        assertThat(EngagementMetrics.averageOrderValue(c).getAsDouble())
                .isCloseTo(75.0, within(1e-12));
    }

    @Test
    void zeroDenominatorsGiveNoValue() {
        EngagementCounts empty = new EngagementCounts();
        assertThat(EngagementMetrics.clickThroughRate(empty, CtrDenominator.IMPRESSIONS)).isEmpty();
        assertThat(EngagementMetrics.conversionRate(empty)).isEmpty();
        assertThat(EngagementMetrics.averageOrderValue(empty)).isEmpty();
    }

    @Test
    void mergeAddsEveryCounter() {
        EngagementCounts merged = sample().merge(sample());
        assertThat(merged.responses).isEqualTo(4);
        assertThat(merged.itemsServed).isEqualTo(40);
        assertThat(merged.impressions).isEqualTo(32);
        assertThat(merged.clicks).isEqualTo(8);
        assertThat(merged.addToCarts).isEqualTo(2);
        assertThat(merged.purchases).isEqualTo(4);
        assertThat(merged.revenue).isEqualTo(300.0);
        // Ratios of a merge equal ratios of the union.
        assertThat(EngagementMetrics.conversionRate(merged).getAsDouble()).isEqualTo(50.0);
    }

    @Test
    void sliceKeysAndDimensions() {
        assertThat(TrafficSlice.dimensions(null, null)).isEmpty();
        assertThat(TrafficSlice.dimensions("v1", null)).containsOnlyKeys("ModelVersion");
        assertThat(TrafficSlice.dimensions("v1", "new"))
                .containsEntry("ModelVersion", "v1")
                .containsEntry("UserSegment", "new");
        assertThat(TrafficSlice.key("v1", "new")).isNotEqualTo(TrafficSlice.key("v1", null));
        assertThat(TrafficSlice.key(null, null)).isEmpty();
        // Keys decode back into their slice.
        assertThat(TrafficSlice.modelVersionOf(TrafficSlice.key("v1", "new"))).isEqualTo("v1");
        assertThat(TrafficSlice.userSegmentOf(TrafficSlice.key("v1", "new"))).isEqualTo("new");
        assertThat(TrafficSlice.modelVersionOf(TrafficSlice.key("v1", null))).isEqualTo("v1");
        assertThat(TrafficSlice.userSegmentOf(TrafficSlice.key("v1", null))).isNull();
        assertThat(TrafficSlice.modelVersionOf(TrafficSlice.key(null, null))).isNull();
    }

    @Test
    void orderValueStdDevIsTheSampleStdDevOfThePurchases() {
        // Orders of 50 and 100: mean 75, sample sd |100 - 50| / sqrt(2) = 35.355.
        EngagementCounts c = sample();
        assertThat(EngagementMetrics.orderValueStdDev(c))
                .isCloseTo(50 / Math.sqrt(2), within(1e-9));
        // Merging keeps it: {50, 100, 50, 100}, sd sqrt(4 x 625 / 3) = 28.868.
        assertThat(EngagementMetrics.orderValueStdDev(sample().merge(sample())))
                .isCloseTo(Math.sqrt(2500.0 / 3), within(1e-9));
        EngagementCounts one = new EngagementCounts();
        one.add(signal(Kind.PURCHASE, 0, 80));
        assertThat(EngagementMetrics.orderValueStdDev(one)).isNaN();
        // Counts restored from state without the sum of squares: the spread is unknown.
        EngagementCounts old = sample();
        old.orderValueSumOfSquares = 0;
        old.orderValuesInSumOfSquares = 0;
        assertThat(EngagementMetrics.orderValueStdDev(old)).isNaN();
        assertThat(EngagementMetrics.clickThroughTrials(c, CtrDenominator.IMPRESSIONS))
                .isEqualTo(16);
        assertThat(EngagementMetrics.clickThroughTrials(c, CtrDenominator.RECOMMENDED_ITEMS))
                .isEqualTo(20);
    }
}
