package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.datasketches.frequencies.ItemsSketch;
import org.junit.jupiter.api.Test;

/**
 * Gini and exposure entropy against closed forms: the Gini coefficient as the mean absolute
 * difference over twice the mean, G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), and the Shannon
 * entropy -sum p log2 p.
 */
class ExposureDistributionTest {

    /** The mean-absolute-difference form, an independent second implementation. */
    private static double giniByPairs(long... x) {
        double sum = 0;
        double diff = 0;
        for (long a : x) {
            sum += a;
            for (long b : x) {
                diff += Math.abs(a - b);
            }
        }
        double n = x.length;
        return diff / (2 * n * n * (sum / n));
    }

    @Test
    void giniOfKnownDistributions() {
        // 1 2 3 4: sum |xi - xj| = 20, 2 n^2 mean = 80 -> 0.25.
        assertThat(ExposureDistribution.ofCounts(1, 2, 3, 4).gini()).isCloseTo(0.25, within(1e-12));
        // 1 1 1 97: 576 / 800 = 0.72.
        assertThat(ExposureDistribution.ofCounts(1, 1, 1, 97).gini())
                .isCloseTo(0.72, within(1e-12));
        assertThat(ExposureDistribution.ofCounts(5, 5, 5, 5, 5).gini()).isCloseTo(0, within(1e-12));
        long[] mixed = {7, 1, 1, 3, 3, 3, 12, 40, 1, 2};
        assertThat(ExposureDistribution.ofCounts(mixed).gini())
                .isCloseTo(giniByPairs(mixed), within(1e-12));
        // One item with all of it: maximal inequality of n items is (n - 1) / n; n = 1 -> 0.
        assertThat(ExposureDistribution.ofCounts(9).gini()).isZero();
    }

    @Test
    void exposureEntropyOfKnownDistributions() {
        // shares 1/4 1/4 1/2 -> 0.5 + 0.5 + 0.5 = 1.5 bits.
        assertThat(ExposureDistribution.ofCounts(1, 1, 2).selfNovelty())
                .isCloseTo(1.5, within(1e-12));
        assertThat(ExposureDistribution.ofCounts(3, 3, 3, 3, 3, 3, 3, 3, 3, 3).selfNovelty())
                .isCloseTo(Math.log(10) / Math.log(2), within(1e-12));
        assertThat(ExposureDistribution.ofCounts().selfNovelty()).isNaN();
    }

    @Test
    void aSketchBelowItsCapacityIsExact() {
        ItemsSketch<String> sketch = new ItemsSketch<>(64);
        long[] counts = {1, 2, 3, 4};
        for (int i = 0; i < counts.length; i++) {
            sketch.update("item-" + i, counts[i]);
        }
        ExposureDistribution d = ExposureDistribution.estimate(sketch, 4);
        assertThat(d.gini()).isCloseTo(0.25, within(1e-12));
        assertThat(d.items()).isEqualTo(4);
        assertThat(d.exposures()).isEqualTo(10);
    }
}
