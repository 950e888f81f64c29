package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class KsStatisticTest {
    // scipy 1.17.1 (numpy 2.4.6):
    //   from scipy.stats import ks_2samp
    //   ks_2samp(X, Y, method='exact') -> statistic 0.35333333333333333, pvalue 0.05094031045787594
    //   from scipy.stats import kstwobign  (the Kolmogorov distribution)
    //   kstwobign.sf(D * sqrt(25 * 30 / 55)) -> 0.06642127026162759
    // (ks_2samp(method='asymp') gives 0.0455074952042851: scipy approximates with the one-sample
    // distribution kstwo.sf(D, round(nm / (n + m))) instead.)
    static final double[] X = {
        0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82,
        0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47
    };
    static final double[] Y = {
        2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27,
        -0.37, 0.38, 0.7, 0.52, -0.71, 1.85, 0.91, 1.63, 2.36, 1.12, 0.34, 1.36, 1.02, 0.77, 1.51
    };

    @Test
    void matchesScipyOnAPublishedPairOfSamples() {
        double d = KsStatistic.statistic(EmpiricalCdf.exact(X), EmpiricalCdf.exact(Y));
        assertThat(d).isCloseTo(0.35333333333333333, within(1e-12));
        assertThat(KsStatistic.exactStatistic(X, Y)).isCloseTo(0.35333333333333333, within(1e-12));
        // 25 * 30 < 10 000: the exact distribution, as scipy's method='exact'.
        assertThat(KsStatistic.pValue(d, X.length, Y.length))
                .isCloseTo(0.05094031045787594, within(1e-6));
        // The asymptotic Kolmogorov distribution with the real sizes, used from n * m >= 10 000.
        assertThat(new KolmogorovSmirnovTest().approximateP(d, X.length, Y.length))
                .isCloseTo(0.06642127026162759, within(1e-9));
    }

    @Test
    void largeSamplesUseTheKolmogorovDistributionWithTheRealSizes() {
        // Closed form: P(K > t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2).
        double d = 0.02;
        long n = 20_000;
        long m = 50_000;
        double t = d * Math.sqrt((double) n * m / (n + m));
        double expected = 0;
        for (int k = 1; k < 100; k++) {
            expected += 2 * Math.pow(-1, k - 1) * Math.exp(-2.0 * k * k * t * t);
        }
        assertThat(KsStatistic.pValue(d, n, m)).isCloseTo(expected, within(1e-9));
        assertThat(KsStatistic.pValue(0, n, m)).isEqualTo(1.0);
    }

    @Test
    void handlesTiesLikeTheDefinition() {
        double[] a = {1, 1, 1, 2, 2, 3};
        double[] b = {1, 2, 2, 2, 3, 3};
        // F_a(1) = 3/6, F_b(1) = 1/6; F_a(2) = 5/6, F_b(2) = 4/6: D = 2/6.
        assertThat(KsStatistic.statistic(EmpiricalCdf.exact(a), EmpiricalCdf.exact(b)))
                .isCloseTo(2.0 / 6, within(1e-15));
        assertThat(KsStatistic.exactStatistic(a, b)).isCloseTo(2.0 / 6, within(1e-15));
    }

    @Test
    void sketchStatisticIsWithinOneHundredthOfTheExactOneOnLargeSamples() {
        Random random = new Random(7);
        int n = 200_000;
        int m = 150_000;
        double worst = 0;
        double[][] shifts = {{0.0, 1.0}, {0.05, 1.0}, {0.3, 1.2}, {1.0, 0.5}};
        for (double[] shift : shifts) {
            double[] reference = new double[n];
            double[] current = new double[m];
            KllDoublesSketch refSketch = KllDoublesSketch.newHeapInstance(2000);
            // The window: twelve pane sketches merged, as the drift operator does.
            KllDoublesSketch window = KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K);
            KllDoublesSketch[] panes = new KllDoublesSketch[12];
            for (int i = 0; i < panes.length; i++) {
                panes[i] = KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K);
            }
            for (int i = 0; i < n; i++) {
                reference[i] = random.nextGaussian();
                refSketch.update(reference[i]);
            }
            for (int i = 0; i < m; i++) {
                current[i] = shift[0] + shift[1] * random.nextGaussian();
                panes[i % 12].update(current[i]);
            }
            for (KllDoublesSketch pane : panes) {
                window.merge(pane);
            }
            EmpiricalCdf ref = EmpiricalCdf.of(refSketch);
            EmpiricalCdf cur = EmpiricalCdf.of(window);
            double exact = KsStatistic.exactStatistic(reference, current);
            double sketched = KsStatistic.statistic(ref, cur);
            double bound = KsStatistic.errorBound(ref, cur);
            assertThat(Math.abs(sketched - exact)).isLessThanOrEqualTo(bound).isLessThan(0.01);
            assertThat(bound).isLessThan(0.01);
            // A second exact implementation: Commons Math's own D on the raw samples.
            assertThat(exact)
                    .isCloseTo(
                            new KolmogorovSmirnovTest()
                                    .kolmogorovSmirnovStatistic(reference, current),
                            within(1e-12));
            worst = Math.max(worst, Math.abs(sketched - exact));
        }
        System.out.printf(
                "KS D sketch error: worst %.5f, bound %.5f%n",
                worst,
                KllDoublesSketch.newHeapInstance(PaneSketch.SKETCH_K).getNormalizedRankError(true)
                        + KllDoublesSketch.newHeapInstance(2000).getNormalizedRankError(true));
    }
}
