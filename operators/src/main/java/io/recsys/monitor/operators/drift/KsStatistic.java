package io.recsys.monitor.operators.drift;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov-Smirnov statistic D = sup |F1(x) - F2(x)| and its p-value.
 *
 * <p>D is computed from two {@link EmpiricalCdf}s by one merge walk over their values, so it is
 * exact for exact samples and, for sketches, off by at most the sum of their rank errors ({@link
 * #errorBound}). Ties are handled: both functions are evaluated after all observations at a value.
 *
 * <p>The p-value is scipy's {@code ks_2samp(method='auto')} ({@link TwoSampleKsDistribution}): the
 * exact null distribution while neither sample exceeds 10,000 observations, else the one-sample
 * distribution with n = round(n1 n2 / (n1 + n2)). On discrete data the test is conservative (p is
 * too large), never too eager.
 */
public final class KsStatistic {
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
     * P(D >= d) for samples of sizes n and m under the hypothesis of one distribution, as scipy's
     * {@code ks_2samp(method='auto')} computes it.
     */
    public static double pValue(double d, long n, long m) {
        if (Double.isNaN(d) || n <= 0 || m <= 0) {
            return Double.NaN;
        }
        if (d <= 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, TwoSampleKsDistribution.pValue(d, n, m)));
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
