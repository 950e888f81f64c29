package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnseenCategoriesTest {

    @Test
    void shareOfValuesWhoseCategoryTheReferenceNeverSaw() {
        Map<String, Long> reference = Map.of("mobile", 700L, "desktop", 250L, "tablet", 50L);
        // 30 smart_tv + 10 watch unseen of 40 + 100 + 60 = 200 values: 20 %.
        Map<String, Long> window =
                Map.of("mobile", 100L, "desktop", 60L, "smart_tv", 30L, "watch", 10L);
        assertThat(UnseenCategories.sharePercent(reference, window).getAsDouble())
                .isCloseTo(20.0, within(1e-12));
    }

    @Test
    void aCategoryWithAZeroReferenceCountIsUnseenAndAnEmptyWindowHasNoValue() {
        assertThat(UnseenCategories.sharePercent(Map.of("a", 0L), Map.of("a", 5L)).getAsDouble())
                .isEqualTo(100.0);
        assertThat(UnseenCategories.sharePercent(Map.of("a", 1L), Map.of())).isEmpty();
    }
}
