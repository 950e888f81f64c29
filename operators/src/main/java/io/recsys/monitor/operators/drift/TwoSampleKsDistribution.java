package io.recsys.monitor.operators.drift;

import org.apache.commons.math3.util.ArithmeticUtils;

/**
 * The two-sided p-value of the two-sample Kolmogorov-Smirnov D as scipy's {@code ks_2samp(x, y,
 * method='auto')} gives it (scipy 1.17, stats/_stats_py.py): the exact null distribution when
 * neither sample is larger than {@value #MAX_EXACT_N}, by counting lattice paths (for n1 == n2 the
 * alternating sum of {@code _compute_prob_outside_square}, otherwise Hodges' inside method with
 * Viehmann's recursion for 1 - p, {@code _compute_outer_prob_inside_method}); otherwise, or when
 * the exact computation fails numerically, the one-sample distribution {@code kstwo.sf(d, round(n1
 * n2 / (n1 + n2)))} ({@link KolmogorovDistribution}).
 *
 * <p>Commons Math 3.6.1's {@code KolmogorovSmirnovTest.exactP} enumerates all C(n1 + n2, n1)
 * splits, which is out of reach beyond a few dozen observations, so the lattice counts are ported.
 */
final class TwoSampleKsDistribution {
    /** scipy's MAX_AUTO_N: the largest sample size for which 'auto' computes the exact p. */
    static final long MAX_EXACT_N = 10_000;

    private TwoSampleKsDistribution() {}

    /** P(D >= d) for samples of sizes n1 and n2, as {@code ks_2samp(method='auto')}. */
    static double pValue(double d, long n1, long n2) {
        if (Double.isNaN(d) || n1 <= 0 || n2 <= 0) {
            return Double.NaN;
        }
        double statistic = d;
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            long g = ArithmeticUtils.gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            statistic = (double) h / lcm;
            if (h == 0) {
                return 1.0;
            }
            double p =
                    n1 == n2
                            ? outsideSquare((int) n1, (int) h)
                            : outerInside((int) n1, (int) n2, (int) g, h);
            if (p >= 0 && p <= 1) {
                return p;
            }
            // As scipy: a failed exact computation falls back to the asymptotic form.
        }
        double larger = Math.max(n1, n2);
        double smaller = Math.min(n1, n2);
        long en = (long) Math.rint(larger * smaller / (larger + smaller));
        return KolmogorovDistribution.sf(en, statistic);
    }

    /**
     * Pr(D_{n,n} >= h/n) = 2 (binom(2n, n-h) - binom(2n, n-2h) + ...) / binom(2n, n), by scipy's
     * Horner-like scheme that avoids the sum's cancellation.
     */
    static double outsideSquare(int n, int h) {
        double p = 0.0;
        int k = n / h;
        while (k >= 0) {
            double p1 = 1.0;
            for (int j = 0; j < h; j++) {
                p1 = (n - (double) k * h - j) * p1 / (n + (double) k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * The share of lattice paths from (0, 0) to (m, n) that do not stay strictly inside |x/m - y/n|
     * < h / lcm(m, n), one column at a time over a sliding window of rows.
     */
    static double outerInside(int m, int n, int g, long h) {
        if (m < n) {
            int swap = m;
            m = n;
            n = swap;
        }
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min(ceilDiv(h, mg), n + 1);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        for (int j = maxj; j < lenA; j++) {
            a[j] = 1.0;
        }
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                int to = Math.min(lenA, maxj - minj + (lastlen - curlen));
                for (int j = maxj - minj; j < to; j++) {
                    a[j] = 1.0;
                }
            }
        }
        return a[maxj - minj - 1];
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
