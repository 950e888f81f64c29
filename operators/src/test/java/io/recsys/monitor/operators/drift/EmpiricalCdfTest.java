package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmpiricalCdfTest {

    /** The definition: the smallest value whose count reaches q n, by a scan from the left. */
    private static double quantileByScan(EmpiricalCdf cdf, double q) {
        double target = q * cdf.count();
        double[] values = cdf.values();
        long[] cumulative = cdf.cumulativeCounts();
        for (int i = 0; i < values.length; i++) {
            if (cumulative[i] >= target) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    @Test
    void quantileOfASmallSample() {
        EmpiricalCdf cdf = EmpiricalCdf.exact(new double[] {3, 1, 2, 2, 5});
        // Counts at or below 1, 2, 3, 5: 1, 3, 4, 5.
        assertThat(cdf.quantile(0.2)).isEqualTo(1.0);
        assertThat(cdf.quantile(0.21)).isEqualTo(2.0);
        assertThat(cdf.quantile(0.6)).isEqualTo(2.0);
        assertThat(cdf.quantile(0.61)).isEqualTo(3.0);
        assertThat(cdf.quantile(1.0)).isEqualTo(5.0);
        assertThat(EmpiricalCdf.exact(new double[0]).quantile(0.5)).isNaN();
    }

    @Test
    void quantileAgreesWithTheScanOnSamplesWithTiesAndWeights() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int size = 1 + r.nextInt(300);
            double[] values = new double[size];
            long[] cumulative = new long[size];
            long count = 0;
            for (int i = 0; i < size; i++) {
                values[i] = i * 0.5 + r.nextDouble() * 0.1;
                // Weights of 0 make runs of equal counts, as a sketch's sorted view can.
                count += r.nextInt(4);
                cumulative[i] = count;
            }
            if (count == 0) {
                continue;
            }
            EmpiricalCdf cdf = EmpiricalCdf.of(values, cumulative, 0.0);
            for (int k = 0; k <= 100; k++) {
                double q = k / 100.0;
                assertThat(cdf.quantile(q)).isEqualTo(quantileByScan(cdf, q));
            }
            assertThat(cdf.quantile(r.nextDouble())).isNotNaN();
        }
    }
}
