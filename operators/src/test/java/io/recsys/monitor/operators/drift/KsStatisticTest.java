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
    //   ks_2samp(X, Y, method='auto') -> statistic 0.35333333333333333, pvalue 0.05094031045787594
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
        // Both samples under 10 000: the exact distribution, as scipy's method='auto'.
        assertThat(KsStatistic.pValue(d, X.length, Y.length))
                .isCloseTo(0.05094031045787594, within(1e-6));
    }

    /** Samples from formulas both Java and Python evaluate exactly (integers, one division). */
    private static double[] modular(int n, long multiplier, int modulus, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * multiplier) % modulus) * scale;
        }
        return x;
    }

    private static double[] fractions(int n, long multiplier, int modulus, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * multiplier) % modulus) / (double) modulus + shift;
        }
        return x;
    }

    private static void assertScipy(double[] a, double[] b, double statistic, double pValue) {
        double d = KsStatistic.statistic(EmpiricalCdf.exact(a), EmpiricalCdf.exact(b));
        assertThat(d).isCloseTo(statistic, within(1e-9));
        assertThat(KsStatistic.exactStatistic(a, b)).isCloseTo(statistic, within(1e-9));
        assertThat(KsStatistic.pValue(d, a.length, b.length)).isCloseTo(pValue, within(1e-6));
        assertThat(KsStatistic.pValue(d, b.length, a.length)).isCloseTo(pValue, within(1e-6));
    }

    // scipy 1.17.1, ks_2samp(a, b, method='auto') with the samples below, e.g.
    //   a = [(i*37) % 11 for i in range(400)]; b = [((i*53) % 13) * 0.9 for i in range(400)]
    //   fractions: a = [((i*7919) % 10007) / 10007.0 for i in range(2000)],
    //              b = [((i*104729) % 10009) / 10009.0 + 0.02 for i in range(1700)]

    @Test
    void equalSizesWithTiesUseTheExactDistributionOfTheSquare() {
        assertScipy(
                modular(400, 37, 11, 1.0), modular(400, 53, 13, 0.9), 0.1225, 0.004907932356726081);
    }

    @Test
    void unequalSizesWithTiesUseTheExactDistributionByLatticePaths() {
        assertScipy(
                modular(300, 37, 11, 1.0),
                modular(451, 53, 13, 0.9),
                0.12155210643015521,
                0.008721827527430262);
        assertScipy(
                fractions(2000, 7919, 10007, 0),
                fractions(1700, 104729, 10009, 0.02),
                0.022794117647058822,
                0.715060041860723);
    }

    @Test
    void tenThousandIsStillExactAndAboveItTheOneSampleDistribution() {
        // 10 000 and 9 000: exact (scipy's MAX_AUTO_N is 10 000).
        assertScipy(
                fractions(10_000, 7919, 10007, 0),
                fractions(9000, 104729, 10009, 0.01),
                0.010444444444444444,
                0.6748947448911158);
        // 12 000 and 3 000: kstwo.sf(D, round(12000 * 3000 / 15000) = 2400).
        assertScipy(
                fractions(12_000, 7919, 10007, 0),
                fractions(3000, 104729, 10009, 0.03),
                0.03216666666666668,
                0.013629495157916893);
        // 20 000 and 60: kstwo.sf(D, 60), the small-n branch of scipy's kolmogn.
        assertScipy(
                fractions(20_000, 7919, 10007, 0),
                fractions(60, 104729, 10009, 0.1),
                0.1205666666666666,
                0.32145021418766795);
        assertThat(KsStatistic.pValue(0, 20_000, 50_000)).isEqualTo(1.0);
        assertThat(KsStatistic.pValue(0, 3, 3)).isEqualTo(1.0);
    }

    @Test
    void oneSampleDistributionMatchesScipyInEveryBranch() {
        // scipy 1.17.1: from scipy.stats import kstwo; kstwo.sf(x, n)
        double[][] cases = {
            {50, 0.1, 0.6623112704658186}, // n <= 140, n x^2 <= 0.754693: Durbin matrix
            {50, 0.2, 0.03143877776953241}, // n <= 140, n x^2 <= 4: Pomeranz in scipy
            {50, 0.35, 5.573523514803185e-06}, // n <= 140, beyond: 2 * smirnov
            {10, 0.6, 0.0005681672000000003}, // x >= 0.5: 2 * smirnov
            {200, 0.004, 1.0}, // n x <= 1: Ruben-Gambino
            {1000, 0.01, 0.9999496745370611}, // n x^1.5 <= 1.4: Durbin matrix
            {1000, 0.03, 0.3226902143914636}, // Pelz-Good
            {1000, 0.05, 0.013012074781090332}, // n x^2 >= 2.2: 2 * smirnov
            {1727, 0.033, 0.045469979736625143},
            {200_000, 0.002, 0.39995085369038097}, // n > 100 000: Pelz-Good
            {200_000, 0.004, 0.003314212822560255},
            {30, 0.98, 2.1474836480000572e-51}, // n x >= n - 1: Ruben-Gambino
        };
        for (double[] c : cases) {
            assertThat(KolmogorovDistribution.sf((long) c[0], c[1]))
                    .as("kstwo.sf(%s, %s)", c[1], c[0])
                    .isCloseTo(c[2], within(1e-9));
        }
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
    void sampledStatisticIsWithinItsBoundOfTheExactOneOnLargeSamples() {
        Random random = new Random(7);
        int n = 200_000;
        int m = 150_000;
        double worst = 0;
        double[][] shifts = {{0.0, 1.0}, {0.05, 1.0}, {0.3, 1.2}, {1.0, 0.5}};
        for (double[] shift : shifts) {
            double[] reference = new double[n];
            double[] current = new double[m];
            KllDoublesSketch refSketch = KllDoublesSketch.newHeapInstance(2000);
            // The window: twelve pane samples merged, as the drift operator does.
            NumericSample window = new NumericSample(Integer.MAX_VALUE);
            NumericSample[] panes = new NumericSample[12];
            for (int i = 0; i < panes.length; i++) {
                panes[i] = new NumericSample(PaneSketch.DEFAULT_EXACT_VALUES);
            }
            for (int i = 0; i < n; i++) {
                reference[i] = random.nextGaussian();
                refSketch.update(reference[i]);
            }
            for (int i = 0; i < m; i++) {
                current[i] = shift[0] + shift[1] * random.nextGaussian();
                panes[i % 12].add(current[i], NumericSample.priority("r-" + i, i));
            }
            for (NumericSample pane : panes) {
                window.merge(pane);
            }
            EmpiricalCdf ref = EmpiricalCdf.of(refSketch);
            EmpiricalCdf cur = window.distribution();
            double exact = KsStatistic.exactStatistic(reference, current);
            double sampled = KsStatistic.statistic(ref, cur);
            double bound = KsStatistic.errorBound(ref, cur);
            assertThat(Math.abs(sampled - exact)).isLessThanOrEqualTo(bound);
            assertThat(bound).isLessThan(0.01);
            assertThat(window.count()).isEqualTo(m);
            // A second exact implementation: Commons Math's own D on the raw samples.
            assertThat(exact)
                    .isCloseTo(
                            new KolmogorovSmirnovTest()
                                    .kolmogorovSmirnovStatistic(reference, current),
                            within(1e-12));
            worst = Math.max(worst, Math.abs(sampled - exact));
        }
        System.out.printf("KS D sample error: worst %.5f%n", worst);
    }
}
