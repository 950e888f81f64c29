package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.RankingOutcome;
import org.junit.jupiter.api.Test;

/** Revenue, AddToCartRate, CTRAtRank and the ranking averages, by hand. */
class FunnelMetricsTest {

    private static EngagementSignal signal(Kind kind, int items, double value, int rank) {
        return new EngagementSignal(0L, "v1", "new", kind, items, value, rank);
    }

    private static EngagementSignal ranked(RankingOutcome outcome) {
        EngagementSignal s = signal(Kind.RANKED, 0, 0, 0);
        s.ranking = outcome;
        return s;
    }

    /**
     * 3 responses (10, 10 and 2 items); 4 impressions at rank 1, 2 at rank 2, 1 at rank 12; 2
     * clicks at rank 1, 1 at rank 2, 1 at rank 12; 1 add to cart; purchases of 30 and 12.5.
     */
    private static EngagementCounts sample() {
        EngagementCounts c = new EngagementCounts();
        c.add(signal(Kind.SERVED, 10, 0, 0));
        c.add(signal(Kind.SERVED, 10, 0, 0));
        c.add(signal(Kind.SERVED, 2, 0, 0));
        for (int i = 0; i < 4; i++) {
            c.add(signal(Kind.IMPRESSION, 0, 0, 1));
        }
        c.add(signal(Kind.IMPRESSION, 0, 0, 2));
        c.add(signal(Kind.IMPRESSION, 0, 0, 2));
        c.add(signal(Kind.IMPRESSION, 0, 0, 12));
        c.add(signal(Kind.CLICK, 0, 0, 1));
        c.add(signal(Kind.CLICK, 0, 0, 1));
        c.add(signal(Kind.CLICK, 0, 0, 2));
        c.add(signal(Kind.CLICK, 0, 0, 12));
        c.add(signal(Kind.ADD_TO_CART, 0, 0, 1));
        c.add(signal(Kind.PURCHASE, 0, 30.0, 1));
        c.add(signal(Kind.PURCHASE, 0, 12.5, 2));
        return c;
    }

    @Test
    void revenueAndAddToCartRate() {
        EngagementCounts c = sample();
        assertThat(EngagementMetrics.revenue(c)).isCloseTo(42.5, within(1e-12));
        // 1 add to cart / 4 clicks.
        assertThat(EngagementMetrics.addToCartRate(c).getAsDouble()).isCloseTo(25.0, within(1e-12));
        assertThat(EngagementMetrics.addToCartRate(new EngagementCounts())).isEmpty();
        assertThat(EngagementMetrics.revenue(new EngagementCounts())).isZero();
    }

    @Test
    void ctrAtRankByImpressionsAndByResponses() {
        EngagementCounts c = sample();
        CtrDenominator imp = CtrDenominator.IMPRESSIONS;
        // Rank 1: 2 clicks / 4 impressions; rank 2: 1 / 2; rank 3: no impressions, no value.
        assertThat(EngagementMetrics.clickThroughRateAtRank(c, 1, imp).getAsDouble())
                .isCloseTo(50.0, within(1e-12));
        assertThat(EngagementMetrics.clickThroughRateAtRank(c, 2, imp).getAsDouble())
                .isCloseTo(50.0, within(1e-12));
        assertThat(EngagementMetrics.clickThroughRateAtRank(c, 3, imp)).isEmpty();
        // Per response with an item at the rank: rank 1 and 2 in all 3 responses, rank 3 in 2.
        CtrDenominator items = CtrDenominator.RECOMMENDED_ITEMS;
        assertThat(EngagementMetrics.clickThroughRateAtRank(c, 1, items).getAsDouble())
                .isCloseTo(200.0 / 3, within(1e-12));
        assertThat(EngagementMetrics.clickThroughRateAtRank(c, 3, items).getAsDouble()).isZero();
        // The click at rank 12 counts in CTR, not in any rank.
        assertThat(c.clicks).isEqualTo(4);
        long rankClicks = 0;
        for (long k : c.clicksAtRank) {
            rankClicks += k;
        }
        assertThat(rankClicks).isEqualTo(3);
    }

    @Test
    void rankingAveragesAreMeansOverRankedResponses() {
        EngagementCounts c = new EngagementCounts();
        c.add(ranked(new RankingOutcome(0.2, 1.0, 0.9, 1.0)));
        c.add(ranked(new RankingOutcome(0.1, 0.5, 0.3, 0.5)));
        EngagementCounts merged = c.copy().merge(new EngagementCounts());
        assertThat(EngagementMetrics.precisionAt10(merged).getAsDouble())
                .isCloseTo(0.15, within(1e-12));
        assertThat(EngagementMetrics.recallAt10(merged).getAsDouble())
                .isCloseTo(0.75, within(1e-12));
        assertThat(EngagementMetrics.ndcgAt10(merged).getAsDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(EngagementMetrics.meanReciprocalRank(merged).getAsDouble())
                .isCloseTo(0.75, within(1e-12));
        assertThat(EngagementMetrics.precisionAt10(new EngagementCounts())).isEmpty();
    }

    @Test
    void mergeAddsRankCounters() {
        EngagementCounts merged = sample().merge(sample());
        assertThat(merged.impressionsAtRank[0]).isEqualTo(8);
        assertThat(merged.clicksAtRank[1]).isEqualTo(2);
        assertThat(merged.servedAtRank[2]).isEqualTo(4);
        assertThat(EngagementMetrics.clickThroughRateAtRank(merged, 1, CtrDenominator.IMPRESSIONS))
                .hasValue(50.0);
    }
}
