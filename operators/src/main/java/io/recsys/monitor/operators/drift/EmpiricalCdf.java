package io.recsys.monitor.operators.drift;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * A step distribution function F(x) = P(X <= x), held as the sorted distinct values of a sample and
 * the number of observations at or below each. It is what a KS test, a PSI and a Jensen-Shannon
 * distance need from a distribution, whether the distribution comes from an exact sample or from a
 * quantile sketch (then every retained item stands for the weight the sketch gives it, and {@link
 * #rankError()} says how far F may be from the true one).
 */
public final class EmpiricalCdf {
    private final double[] values;
    private final long[] cumulative;
    private final double rankError;

    private EmpiricalCdf(double[] values, long[] cumulative, double rankError) {
        this.values = values;
        this.cumulative = cumulative;
        this.rankError = rankError;
    }

    /**
     * A distribution from sorted distinct values and the count at or below each (non-decreasing).
     *
     * @param rankError the largest error of F anywhere, 0 for an exact sample
     */
    public static EmpiricalCdf of(double[] values, long[] cumulative, double rankError) {
        if (values.length != cumulative.length) {
            throw new IllegalArgumentException("values and cumulative counts differ in length");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])
                    || (i > 0 && (values[i] <= values[i - 1] || cumulative[i] < cumulative[i - 1]))
                    || cumulative[i] < 0) {
                throw new IllegalArgumentException(
                        "values must be finite, strictly increasing, with non-decreasing counts");
            }
        }
        return new EmpiricalCdf(values.clone(), cumulative.clone(), rankError);
    }

    /** The exact distribution of a sample (non-finite values are ignored). */
    public static EmpiricalCdf exact(double[] sample) {
        return exact(sample, 0.0);
    }

    /**
     * The distribution of a sample that stands for a larger population (non-finite values are
     * ignored), {@code rankError} saying how far it may be from the population's.
     */
    public static EmpiricalCdf exact(double[] sample, double rankError) {
        double[] sorted = new double[sample.length];
        int finite = 0;
        for (double value : sample) {
            if (Double.isFinite(value)) {
                sorted[finite++] = value;
            }
        }
        // Sorted in place, not through a stream: a window's distributions are sorted every slide.
        sorted = finite == sorted.length ? sorted : Arrays.copyOf(sorted, finite);
        Arrays.sort(sorted);
        return collapse(sorted, null, rankError);
    }

    /**
     * The distribution a KLL sketch estimates. Its rank error is the sketch's a-priori bound for
     * all ranks at once (DataSketches' "double-sided" PMF error, 99 % confidence), or 0 while the
     * sketch still holds every item.
     */
    public static EmpiricalCdf of(KllDoublesSketch sketch) {
        if (sketch.isEmpty()) {
            return new EmpiricalCdf(new double[0], new long[0], 0.0);
        }
        DoublesSortedView view = sketch.getSortedView();
        double error = sketch.isEstimationMode() ? sketch.getNormalizedRankError(true) : 0.0;
        return collapse(view.getQuantiles(), view.getCumulativeWeights(), error);
    }

    /** Merges equal values; {@code cumulative == null} means a weight of one per value. */
    private static EmpiricalCdf collapse(double[] sorted, long[] cumulative, double rankError) {
        double[] values = new double[sorted.length];
        long[] counts = new long[sorted.length];
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            long upTo = cumulative == null ? i + 1 : cumulative[i];
            if (distinct > 0 && values[distinct - 1] == sorted[i]) {
                counts[distinct - 1] = upTo;
            } else {
                values[distinct] = sorted[i];
                counts[distinct] = upTo;
                distinct++;
            }
        }
        return new EmpiricalCdf(
                Arrays.copyOf(values, distinct), Arrays.copyOf(counts, distinct), rankError);
    }

    /** Number of observations. */
    public long count() {
        return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /** Largest error of {@link #cdf} at any point, as a fraction of the count. */
    public double rankError() {
        return rankError;
    }

    /** Distinct values, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** Observations at or below each value (a copy). */
    public long[] cumulativeCounts() {
        return cumulative.clone();
    }

    int size() {
        return values.length;
    }

    double valueAt(int i) {
        return values[i];
    }

    long cumulativeAt(int i) {
        return cumulative[i];
    }

    /** F(x): the share of observations at or below x. */
    public double cdf(double x) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        int i = Arrays.binarySearch(values, x);
        int below = i >= 0 ? i : -i - 2; // index of the last value <= x
        return below < 0 ? 0.0 : (double) cumulative[below] / n;
    }

    /** The smallest value v with F(v) >= q, for q in (0, 1]. */
    public double quantile(double q) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        double target = q * n;
        // The first index whose count reaches the target, by bisection: the counts never
        // decrease, and the drift windows ask for nine deciles of every feature per slide.
        int lo = 0;
        int hi = values.length - 1;
        if (cumulative[hi] < target) {
            return values[hi];
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return values[lo];
    }
}
