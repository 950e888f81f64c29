package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.RecommendedItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Intra-list diversity by counting pairs by hand. */
class ListDiversityTest {

    private static List<RecommendedItem> list(String... categories) {
        List<RecommendedItem> items = new ArrayList<>();
        for (int i = 0; i < categories.length; i++) {
            items.add(new RecommendedItem("i" + i, 0.5, categories[i], 1.0));
        }
        return items;
    }

    @Test
    void shareOfPairsFromDifferentCategories() {
        // a a b c: 6 pairs, one of them (a, a) from the same category -> 5/6.
        assertThat(ListDiversity.of(list("a", "a", "b", "c")).getAsDouble())
                .isCloseTo(5.0 / 6, within(1e-12));
        // 10 items in categories i % 3 (4, 3, 3): 45 pairs, 6 + 3 + 3 same -> 33/45.
        String[] tenItems = new String[10];
        for (int i = 0; i < 10; i++) {
            tenItems[i] = "cat-" + i % 3;
        }
        assertThat(ListDiversity.of(list(tenItems)).getAsDouble())
                .isCloseTo(33.0 / 45, within(1e-12));
    }

    @Test
    void extremes() {
        assertThat(ListDiversity.of(list("a", "a", "a")).getAsDouble()).isZero();
        assertThat(ListDiversity.of(list("a", "b", "c", "d")).getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void itemsWithoutCategoryTakeNoPartAndShortListsHaveNoValue() {
        assertThat(ListDiversity.of(list("a", null, "b")).getAsDouble()).isEqualTo(1.0);
        assertThat(ListDiversity.of(list("a", null))).isEmpty();
        assertThat(ListDiversity.of(list())).isEmpty();
    }
}
