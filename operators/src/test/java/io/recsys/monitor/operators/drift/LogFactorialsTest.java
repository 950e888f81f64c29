package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class LogFactorialsTest {
    @Test
    void tableHoldsTheVeryBitsOfLogGamma() {
        double[] small = LogFactorials.upTo(10);
        double[] large = LogFactorials.upTo(70_001);
        assertThat(large.length).isGreaterThan(70_001);
        for (long k : new long[] {0, 1, 2, 7, 8, 9, 10, 171, 4096, 65_537, 70_001}) {
            assertThat(LogFactorials.of(k, large)).isEqualTo(Gamma.logGamma(k + 1.0));
            // A table taken before the growth still answers, from itself or by computing.
            assertThat(LogFactorials.of(k, small)).isEqualTo(Gamma.logGamma(k + 1.0));
        }
    }

    @Test
    void beyondTheCapEveryValueIsComputed() {
        long n = LogFactorials.MAX_TABLED + 5L;
        assertThat(LogFactorials.upTo(n)).isNull();
        assertThat(LogFactorials.of(n, null)).isEqualTo(Gamma.logGamma(n + 1.0));
    }

    @Test
    void smirnovSumIsBitForBitTheUntabledOne() {
        double[][] cases = {{50, 0.35}, {10, 0.6}, {1000, 0.05}, {40_000, 0.02}, {123_457, 0.0071}};
        for (double[] c : cases) {
            long n = (long) c[0];
            assertThat(KolmogorovDistribution.smirnov(n, c[1]))
                    .as("smirnov(%s, %s)", n, c[1])
                    .isEqualTo(untabledSmirnov(n, c[1]));
        }
    }

    /** The Birnbaum-Tingey sum as the previous release computed it, log-gamma on every term. */
    private static double untabledSmirnov(long n, double x) {
        long last = (long) Math.floor(n * (1 - x));
        double logFactorialN = Gamma.logGamma(n + 1.0);
        double sum = 0;
        for (long j = 0; j <= last; j++) {
            double below = 1 - x - (double) j / n;
            if (below <= 0 && n - j > 0) {
                continue;
            }
            double log =
                    logFactorialN
                            - Gamma.logGamma(j + 1.0)
                            - Gamma.logGamma(n - j + 1.0)
                            + (n - j) * Math.log(below)
                            + (j - 1) * Math.log(x + (double) j / n);
            sum += Math.exp(log);
        }
        return x * sum;
    }
}
