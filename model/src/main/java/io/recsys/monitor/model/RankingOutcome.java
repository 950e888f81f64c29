package io.recsys.monitor.model;

import java.util.Objects;

/**
 * The online ranking quality of one response, measured when its attribution window closed: the
 * seed's offline metrics (Precision@10, Recall@10, NDCG@10) and the reciprocal rank, with the items
 * the user engaged with as the relevant ones. Carried by an {@link EngagementSignal.Kind#RANKED}
 * signal and averaged per window.
 */
public class RankingOutcome {
    public double precisionAt10;
    public double recallAt10;
    public double ndcgAt10;
    public double reciprocalRank;

    public RankingOutcome() {}

    public RankingOutcome(
            double precisionAt10, double recallAt10, double ndcgAt10, double reciprocalRank) {
        this.precisionAt10 = precisionAt10;
        this.recallAt10 = recallAt10;
        this.ndcgAt10 = ndcgAt10;
        this.reciprocalRank = reciprocalRank;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RankingOutcome)) {
            return false;
        }
        RankingOutcome that = (RankingOutcome) o;
        return Double.compare(precisionAt10, that.precisionAt10) == 0
                && Double.compare(recallAt10, that.recallAt10) == 0
                && Double.compare(ndcgAt10, that.ndcgAt10) == 0
                && Double.compare(reciprocalRank, that.reciprocalRank) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(precisionAt10, recallAt10, ndcgAt10, reciprocalRank);
    }

    @Override
    public String toString() {
        return "RankingOutcome{P@10="
                + precisionAt10
                + ", R@10="
                + recallAt10
                + ", NDCG@10="
                + ndcgAt10
                + ", RR="
                + reciprocalRank
                + "}";
    }
}
