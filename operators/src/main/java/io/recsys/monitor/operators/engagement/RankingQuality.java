package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.RankingOutcome;
import java.util.Arrays;
import java.util.Collection;

/**
 * Precision@10, Recall@10, NDCG@10 and the reciprocal rank of one response, with binary relevance:
 * an item is relevant when the user engaged with it (see {@link Relevance}) within the attribution
 * window. Pure arithmetic over the 1-based ranks of the relevant items.
 *
 * <p>Definitions (k = 10, n = items in the response, R = relevant items in the response):
 *
 * <ul>
 *   <li>Precision@k = relevant items in the top min(k, n) / min(k, n); a list shorter than k is not
 *       charged for slots it never had.
 *   <li>Recall@k = relevant items in the top k / R.
 *   <li>NDCG@k = DCG@k / IDCG@k with DCG@k = sum over relevant ranks r &lt;= k of 1 / log2(r + 1)
 *       and IDCG@k the DCG of min(R, k) relevant items at ranks 1, 2, ...
 *   <li>Reciprocal rank = 1 / the rank of the first relevant item (not cut at k).
 * </ul>
 */
public final class RankingQuality {
    /** The cut-off k of the @k measures. */
    public static final int CUTOFF = 10;

    private RankingQuality() {}

    /**
     * The outcome of a response of {@code listLength} items whose relevant items are at {@code
     * relevantRanks} (1-based, duplicates and ranks outside the list ignored); {@code null} when no
     * item is relevant, since recall is then undefined and the response is left out of the
     * averages, as an offline evaluation leaves out users without relevant items.
     */
    public static RankingOutcome of(Collection<Integer> relevantRanks, int listLength) {
        int[] ranks =
                relevantRanks.stream()
                        .mapToInt(Integer::intValue)
                        .filter(r -> r >= 1 && r <= listLength)
                        .distinct()
                        .sorted()
                        .toArray();
        if (ranks.length == 0) {
            return null;
        }
        int shown = Math.min(CUTOFF, listLength);
        int hits = 0;
        double dcg = 0;
        for (int r : ranks) {
            if (r <= CUTOFF) {
                hits++;
                dcg += 1.0 / log2(r + 1);
            }
        }
        double idcg = 0;
        for (int i = 1; i <= Math.min(ranks.length, CUTOFF); i++) {
            idcg += 1.0 / log2(i + 1);
        }
        return new RankingOutcome(
                (double) hits / shown, (double) hits / ranks.length, dcg / idcg, 1.0 / ranks[0]);
    }

    /** Convenience for tests and callers with an array. */
    public static RankingOutcome of(int listLength, Integer... relevantRanks) {
        return of(Arrays.asList(relevantRanks), listLength);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
