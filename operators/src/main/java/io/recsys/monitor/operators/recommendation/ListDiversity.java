package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.RecommendedItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Intra-list diversity of one response: the share of pairs of its items that are from different
 * categories, in [0, 1] (0: one category throughout; 1: every item from its own category). Items
 * without a category take no part; a list with fewer than two categorised items has no value.
 *
 * <p>With n categorised items and c_j of them in category j, the different-category pairs are (n^2
 * - sum c_j^2) / 2 out of n (n - 1) / 2, which costs one pass and no pair loop.
 */
public final class ListDiversity {
    private ListDiversity() {}

    /** The diversity of {@code items}, or empty when fewer than two have a category. */
    public static OptionalDouble of(List<RecommendedItem> items) {
        Map<String, Integer> perCategory = new HashMap<>();
        long n = 0;
        for (RecommendedItem item : items) {
            if (item != null && item.category != null) {
                perCategory.merge(item.category, 1, Integer::sum);
                n++;
            }
        }
        if (n < 2) {
            return OptionalDouble.empty();
        }
        long sameSquares = 0;
        for (int c : perCategory.values()) {
            sameSquares += (long) c * c;
        }
        double differentPairs = (n * n - sameSquares) / 2.0;
        double pairs = n * (n - 1) / 2.0;
        return OptionalDouble.of(differentPairs / pairs);
    }
}
