package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.RankingOutcome;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Precision@10, Recall@10, NDCG@10 and reciprocal rank against values worked out by hand from the
 * textbook definitions (Manning, Raghavan, Schuetze, Introduction to Information Retrieval, ch. 8;
 * Jaervelin and Kekaelaeinen 2002 for DCG with the 1 / log2(rank + 1) discount).
 */
class RankingQualityTest {
    /** 1 / log2(3), written out. */
    private static final double INV_LOG2_3 = 0.6309297535714575;

    @Test
    void relevantItemsAtRanksOneAndThreeOfTen() {
        RankingOutcome o = RankingQuality.of(10, 1, 3);
        // 2 of the top 10 relevant; both relevant items found.
        assertThat(o.precisionAt10).isCloseTo(0.2, within(1e-12));
        assertThat(o.recallAt10).isCloseTo(1.0, within(1e-12));
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.6309...
        assertThat(o.ndcgAt10).isCloseTo(1.5 / (1 + INV_LOG2_3), within(1e-12));
        assertThat(o.ndcgAt10).isCloseTo(0.919720, within(1e-6));
        assertThat(o.reciprocalRank).isEqualTo(1.0);
    }

    @Test
    void aRelevantItemBelowTheCutOffCountsForRecallAndIdealOnly() {
        RankingOutcome o = RankingQuality.of(20, 2, 12);
        assertThat(o.precisionAt10).isCloseTo(0.1, within(1e-12));
        assertThat(o.recallAt10).isCloseTo(0.5, within(1e-12));
        // DCG = 1/log2(3); IDCG (two relevant) = 1 + 1/log2(3).
        assertThat(o.ndcgAt10).isCloseTo(INV_LOG2_3 / (1 + INV_LOG2_3), within(1e-12));
        assertThat(o.ndcgAt10).isCloseTo(0.386853, within(1e-6));
        assertThat(o.reciprocalRank).isEqualTo(0.5);
    }

    @Test
    void aShortListIsNotChargedForSlotsItNeverHad() {
        RankingOutcome o = RankingQuality.of(4, 4);
        assertThat(o.precisionAt10).isCloseTo(0.25, within(1e-12));
        assertThat(o.recallAt10).isEqualTo(1.0);
        // 1 / log2(5) = 0.430677...
        assertThat(o.ndcgAt10).isCloseTo(0.430677, within(1e-6));
        assertThat(o.reciprocalRank).isEqualTo(0.25);
    }

    @Test
    void aPerfectRankingHasNdcgOne() {
        RankingOutcome o = RankingQuality.of(10, 1, 2, 3);
        assertThat(o.ndcgAt10).isCloseTo(1.0, within(1e-12));
        assertThat(o.precisionAt10).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void duplicatesAndRanksOutsideTheListAreIgnored() {
        assertThat(RankingQuality.of(10, 3, 3, 0, 11)).isEqualTo(RankingQuality.of(10, 3));
    }

    @Test
    void noRelevantItemMeansNoOutcome() {
        assertThat(RankingQuality.of(Collections.emptyList(), 10)).isNull();
        assertThat(RankingQuality.of(5, 6)).isNull();
    }
}
