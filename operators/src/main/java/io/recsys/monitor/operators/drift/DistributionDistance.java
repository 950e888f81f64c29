package io.recsys.monitor.operators.drift;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binned distances between a window's distribution and the reference's, for users who alarm on them
 * rather than on KS: the population stability index and the Jensen-Shannon distance, both over
 * {@value #BINS} bins cut at the reference's deciles (so each bin holds a tenth of the reference,
 * fewer bins when the reference has ties at the cuts).
 *
 * <p>PSI = sum (q_i - p_i) ln(q_i / p_i), with an empty bin's share floored at {@value #FLOOR} (the
 * usual convention; without it one empty bin makes PSI infinite). Common reading: below 0.1 stable,
 * 0.1 to 0.25 moderate shift, above 0.25 large shift.
 *
 * <p>Jensen-Shannon distance = sqrt(JSD) with JSD in bits, so it is in [0, 1]; no floor needed.
 *
 * <p>For categories, the total variation distance between the shares: the share of the window that
 * would have to change category to match the reference, whatever the two sample sizes.
 */
public final class DistributionDistance {
    static final int BINS = 10;
    static final double FLOOR = 1e-4;

    private DistributionDistance() {}

    /** Population stability index of {@code current} against {@code reference}. */
    public static double psi(EmpiricalCdf reference, EmpiricalCdf current) {
        double[][] shares = binShares(reference, current);
        if (shares == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < shares[0].length; i++) {
            double p = Math.max(FLOOR, shares[0][i]);
            double q = Math.max(FLOOR, shares[1][i]);
            sum += (q - p) * Math.log(q / p);
        }
        return sum;
    }

    /** Jensen-Shannon distance (base 2) of {@code current} and {@code reference}. */
    public static double jensenShannon(EmpiricalCdf reference, EmpiricalCdf current) {
        double[][] shares = binShares(reference, current);
        if (shares == null) {
            return Double.NaN;
        }
        double divergence = 0;
        for (int i = 0; i < shares[0].length; i++) {
            double p = shares[0][i];
            double q = shares[1][i];
            double m = (p + q) / 2;
            if (p > 0) {
                divergence += 0.5 * p * log2(p / m);
            }
            if (q > 0) {
                divergence += 0.5 * q * log2(q / m);
            }
        }
        return Math.sqrt(Math.max(0.0, Math.min(1.0, divergence)));
    }

    /** Shares of the reference ([0]) and the window ([1]) per decile bin; null if either empty. */
    static double[][] binShares(EmpiricalCdf reference, EmpiricalCdf current) {
        if (reference.isEmpty() || current.isEmpty()) {
            return null;
        }
        double[] cuts = new double[BINS - 1];
        int n = 0;
        for (int k = 1; k < BINS; k++) {
            double cut = reference.quantile((double) k / BINS);
            if (n == 0 || cut > cuts[n - 1]) {
                cuts[n++] = cut;
            }
        }
        cuts = Arrays.copyOf(cuts, n);
        double[][] shares = new double[2][n + 1];
        EmpiricalCdf[] both = {reference, current};
        for (int s = 0; s < 2; s++) {
            double below = 0;
            for (int i = 0; i < n; i++) {
                double upTo = both[s].cdf(cuts[i]);
                shares[s][i] = upTo - below;
                below = upTo;
            }
            shares[s][n] = 1.0 - below;
        }
        return shares;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * Total variation distance of the category shares: half the sum, over the categories of either,
     * of |current share - reference share|; in [0, 1], NaN when either is empty.
     */
    public static double totalVariation(Map<String, Long> reference, Map<String, Long> current) {
        double referenceTotal = total(reference);
        double currentTotal = total(current);
        if (referenceTotal == 0 || currentTotal == 0) {
            return Double.NaN;
        }
        TreeSet<String> categories = new TreeSet<>(reference.keySet());
        categories.addAll(current.keySet());
        double sum = 0;
        for (String category : categories) {
            double p = reference.getOrDefault(category, 0L) / referenceTotal;
            double q = current.getOrDefault(category, 0L) / currentTotal;
            sum += Math.abs(q - p);
        }
        return sum / 2;
    }

    private static double total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
