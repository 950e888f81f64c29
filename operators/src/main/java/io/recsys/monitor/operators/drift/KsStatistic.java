package io.recsys.monitor.operators.drift;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The two-sample Kolmogorov-Smirnov statistic D = sup |F1(x) - F2(x)| and its p-value.
 *
 * <p>D is computed from two {@link EmpiricalCdf}s by one merge walk over their values, so it is
 * exact for exact samples and, for sketches, off by at most the sum of their rank errors ({@link
 * #errorBound}). Ties are handled: both functions are evaluated after all observations at a value.
 *
 * <p>The p-value uses the real sample sizes with Commons Math 3.6.1's {@link
 * KolmogorovSmirnovTest}: {@code exactP(d, n, m, false)} = P(D >= d) while n * m < 10 000 (the
 * threshold Commons Math's own {@code kolmogorovSmirnovTest(x, y)} uses), otherwise {@code
 * approximateP(d, n, m)} = 1 - K(d sqrt(nm / (n + m))) with K the Kolmogorov distribution (scipy's
 * {@code kstwobign}). On discrete data the test is conservative (p is too large), never too eager.
 */
public final class KsStatistic {
    /** Below this n * m Commons Math's exact distribution is used. */
    static final long SMALL_SAMPLE_PRODUCT = 10_000;

    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

    private KsStatistic() {}

    /** D between two distributions; NaN when either is empty. */
    public static double statistic(EmpiricalCdf a, EmpiricalCdf b) {
        long na = a.count();
        long nb = b.count();
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        long ca = 0;
        long cb = 0;
        double d = 0.0;
        while (i < a.size() || j < b.size()) {
            double x =
                    j >= b.size()
                            ? a.valueAt(i)
                            : i >= a.size() ? b.valueAt(j) : Math.min(a.valueAt(i), b.valueAt(j));
            if (i < a.size() && a.valueAt(i) == x) {
                ca = a.cumulativeAt(i++);
            }
            if (j < b.size() && b.valueAt(j) == x) {
                cb = b.cumulativeAt(j++);
            }
            d = Math.max(d, Math.abs((double) ca / na - (double) cb / nb));
        }
        return d;
    }

    /** The error the sketches can add to {@link #statistic}: the sum of their rank errors. */
    public static double errorBound(EmpiricalCdf a, EmpiricalCdf b) {
        return a.rankError() + b.rankError();
    }

    /**
     * P(D >= d) for samples of sizes n and m under the hypothesis of one distribution. Sizes above
     * {@link Integer#MAX_VALUE} are capped there (Commons Math takes ints; the p-value is then far
     * below any alpha for every D that matters).
     */
    public static double pValue(double d, long n, long m) {
        if (Double.isNaN(d) || n <= 0 || m <= 0) {
            return Double.NaN;
        }
        if (d <= 0) {
            return 1.0;
        }
        int ni = (int) Math.min(n, Integer.MAX_VALUE);
        int mi = (int) Math.min(m, Integer.MAX_VALUE);
        double p =
                (long) ni * mi < SMALL_SAMPLE_PRODUCT
                        ? KS.exactP(d, ni, mi, false)
                        : KS.approximateP(d, ni, mi);
        return Math.max(0.0, Math.min(1.0, p));
    }

    /**
     * The exact two-sample D of two raw samples, by sorting both: the reference implementation the
     * sketch-based {@link #statistic} is checked against. It keeps no state and suits tests and
     * small offline checks, not windows of live traffic.
     */
    public static double exactStatistic(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double d = 0.0;
        while (i < a.length && j < b.length) {
            double v = Math.min(a[i], b[j]);
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }
}
