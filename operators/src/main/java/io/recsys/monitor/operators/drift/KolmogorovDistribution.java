package io.recsys.monitor.operators.drift;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The distribution of the one-sample two-sided Kolmogorov-Smirnov statistic D_n for a finite n,
 * computed as scipy's {@code kstwo.sf} (scipy.stats._ksstats.kolmogn, after Simard and L'Ecuyer,
 * 2011): Ruben-Gambino's closed forms at the ends, the Durbin matrix of Marsaglia, Tsang and Wang
 * for small n * x^1.5, twice the one-sided Smirnov probability in the upper tail, and Pelz-Good's
 * expansion (Commons Math's) elsewhere. {@code ks_2samp} takes its large-sample p-value from it
 * with n = round(n1 n2 / (n1 + n2)).
 *
 * <p>Where scipy uses Pomeranz's recursion (n <= 140, 0.754693 < n x^2 <= 4) this uses the Durbin
 * matrix: both compute the same exact probability.
 */
final class KolmogorovDistribution {
    private static final KolmogorovSmirnovTest COMMONS = new KolmogorovSmirnovTest();
    private static final double TWO_128 = 0x1p128;
    private static final double TWO_MINUS_128 = 0x1p-128;

    private KolmogorovDistribution() {}

    /** P(D_n >= x), as scipy's {@code kstwo.sf(x, n)}. */
    static double sf(long n, double x) {
        if (n <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double cdf;
            if (n <= 140) {
                cdf = 1.0;
                for (long i = 1; i <= n; i++) {
                    cdf *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - cdf);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnov(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 4) {
                return clip(1.0 - durbin(n, x));
            }
            return clip(2 * smirnov(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnov(n, x));
        }
        double cdf =
                n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4
                        ? durbin(n, x)
                        : COMMONS.pelzGood(x, (int) Math.min(n, Integer.MAX_VALUE));
        return clip(1.0 - cdf);
    }

    /** log(n! / n^n). */
    private static double logFactorialOverPower(long n) {
        return Gamma.logGamma(n + 1.0) - n * Math.log(n);
    }

    /**
     * The one-sided P(D+_n >= x), exactly, by the Birnbaum-Tingey sum x sum_j C(n, j) (1 - x -
     * j/n)^(n - j) (x + j/n)^(j - 1), each term in logarithms.
     */
    static double smirnov(long n, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (x >= 1) {
            return 0.0;
        }
        long last = (long) Math.floor(n * (1 - x));
        double[] logFactorials = LogFactorials.upTo(n);
        double logFactorialN = LogFactorials.of(n, logFactorials);
        double sum = 0;
        for (long j = 0; j <= last; j++) {
            double below = 1 - x - (double) j / n;
            if (below <= 0 && n - j > 0) {
                continue;
            }
            // Log-gamma (tabled), not CombinatoricsUtils.binomialCoefficientLog, which sums k
            // logarithms.
            double log =
                    logFactorialN
                            - LogFactorials.of(j, logFactorials)
                            - LogFactorials.of(n - j, logFactorials)
                            + (n - j) * Math.log(below)
                            + (j - 1) * Math.log(x + (double) j / n);
            sum += Math.exp(log);
        }
        return x * sum;
    }

    /**
     * P(D_n < x) by the Durbin matrix (Marsaglia, Tsang and Wang 2003), a port of scipy's {@code
     * _kolmogn_DMTW}: the k-th diagonal entry of H^n times n!/n^n, with powers of two kept apart.
     */
    static double durbin(long n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[][] matrix = new double[m][m];
        double[] v = new double[m];
        double[] w = new double[m];
        double factorial = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * factorial;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * factorial;
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                matrix[r][i] = w[r - i + 1];
            }
        }
        for (int r = 0; r < m; r++) {
            matrix[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            matrix[m - 1][c] = v[m - 1 - c];
        }
        // H^n by squaring, the squares scaled by 2^-128 before their entries overflow.
        Array2DRowRealMatrix square = new Array2DRowRealMatrix(matrix, false);
        Array2DRowRealMatrix power = null;
        long remaining = n;
        long exponent = 0;
        long matrixExponent = 0;
        while (remaining > 0) {
            if (remaining % 2 == 1) {
                power = power == null ? square : power.multiply(square);
                exponent += matrixExponent;
            }
            square = square.multiply(square);
            matrixExponent *= 2;
            if (Math.abs(square.getEntry(k - 1, k - 1)) > TWO_128) {
                square = (Array2DRowRealMatrix) square.scalarMultiply(TWO_MINUS_128);
                matrixExponent += 128;
            }
            remaining /= 2;
        }
        double p = power.getEntry(k - 1, k - 1);
        for (long i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < TWO_MINUS_128) {
                p *= TWO_128;
                exponent -= 128;
            }
        }
        if (exponent != 0) {
            p = Math.scalb(p, (int) Math.max(Integer.MIN_VALUE, exponent));
        }
        return clip(p);
    }

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }
}
