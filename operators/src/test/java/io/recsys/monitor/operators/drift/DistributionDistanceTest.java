package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DistributionDistanceTest {

    private static double[] range(int from, int to) {
        double[] v = new double[to - from];
        for (int i = from; i < to; i++) {
            v[i - from] = i;
        }
        return v;
    }

    @Test
    void equalDistributionsAreAtDistanceZero() {
        EmpiricalCdf a = EmpiricalCdf.exact(range(0, 1000));
        assertThat(DistributionDistance.psi(a, a)).isCloseTo(0.0, within(1e-12));
        assertThat(DistributionDistance.jensenShannon(a, a)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void matchesTheClosedFormsOnDecileBins() {
        // Reference 0..999: deciles cut at 99, 199, ..., 899, each bin holds 0.1.
        // Window 500..1499: bins 0-4 empty, bins 5-8 hold 0.1 each, bin 9 holds 0.6.
        EmpiricalCdf reference = EmpiricalCdf.exact(range(0, 1000));
        EmpiricalCdf current = EmpiricalCdf.exact(range(500, 1500));
        double psi = 5 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + (0.6 - 0.1) * Math.log(0.6 / 0.1);
        assertThat(DistributionDistance.psi(reference, current)).isCloseTo(psi, within(1e-9));
        // JSD in bits: 5 bins with p = 0.1, q = 0 give 0.5 * 0.1 * log2(2) each; bin 9 with
        // p = 0.1, q = 0.6, m = 0.35.
        double log2 = Math.log(2);
        double jsd =
                5 * 0.5 * 0.1
                        + 0.5 * 0.1 * Math.log(0.1 / 0.35) / log2
                        + 0.5 * 0.6 * Math.log(0.6 / 0.35) / log2;
        assertThat(DistributionDistance.jensenShannon(reference, current))
                .isCloseTo(Math.sqrt(jsd), within(1e-12));
    }

    @Test
    void totalVariationIsHalfTheSumOfShareDifferencesWhateverTheSampleSizes() {
        // Shares 0.5 / 0.3 / 0.2 / 0 against 0.4 / 0.3 / 0.2 / 0.1: (0.1 + 0 + 0 + 0.1) / 2.
        Map<String, Long> reference = Map.of("a", 50L, "b", 30L, "c", 20L);
        Map<String, Long> current = Map.of("a", 40L, "b", 30L, "c", 20L, "d", 10L);
        Map<String, Long> largerReference = Map.of("a", 50_000L, "b", 30_000L, "c", 20_000L);

        assertThat(DistributionDistance.totalVariation(reference, current))
                .isCloseTo(0.1, within(1e-12));
        assertThat(DistributionDistance.totalVariation(largerReference, current))
                .isCloseTo(0.1, within(1e-12));
        assertThat(DistributionDistance.totalVariation(reference, reference)).isZero();
        assertThat(DistributionDistance.totalVariation(reference, Map.of("z", 3L)))
                .isCloseTo(1.0, within(1e-12));
        assertThat(DistributionDistance.totalVariation(reference, Map.of())).isNaN();
    }
}
