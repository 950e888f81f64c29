package io.recsys.monitor.operators.recommendation;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * How exposure is spread over the items of a window, as groups of items with equal exposure, and
 * the two numbers drawn from it: the Gini coefficient of exposure (popularity bias; 0 when every
 * item is shown equally often, towards 1 when a few items take nearly every slot) and the mean
 * novelty of an exposure, {@code -log2} of its item's share, which against the window's own
 * distribution is the Shannon entropy of exposure in bits.
 *
 * <p>From a frequent-items sketch ({@link #estimate}) the heavy items (count above the sketch's
 * maximum error) are known with their counts; the rest of the exposures are spread over the
 * remaining distinct items (from the distinct-count sketch) along the power law that the tracked
 * items' rank-frequency line continues. This is a model of the tail, not a measurement of it:
 * {@code RecommendationSketchAccuracyTest} measures how far it lands from the exact values.
 */
public final class ExposureDistribution {
    /** Ascending exposure per item of a group. */
    private final double[] values;

    /** Items in each group. */
    private final double[] items;

    private ExposureDistribution(double[] values, double[] items) {
        this.values = values;
        this.items = items;
    }

    /** The exact distribution of per-item exposure counts. */
    public static ExposureDistribution ofCounts(long... counts) {
        TreeMap<Double, Double> groups = new TreeMap<>();
        for (long c : counts) {
            if (c > 0) {
                groups.merge((double) c, 1.0, Double::sum);
            }
        }
        return of(groups);
    }

    /**
     * The distribution estimated from a frequent-items sketch of exposures and the estimated number
     * of distinct items exposed.
     */
    public static ExposureDistribution estimate(ItemsSketch<String> sketch, double distinctItems) {
        TreeMap<Double, Double> groups = new TreeMap<>();
        long total = sketch.getStreamLength();
        if (total == 0) {
            return of(groups);
        }
        // Only items whose count is known better than the sketch's error: below it, a tracked
        // item's count is mostly the error, and it is modelled as part of the tail instead.
        ItemsSketch.Row<String>[] rows =
                sketch.getFrequentItems(sketch.getMaximumError(), ErrorType.NO_FALSE_POSITIVES);
        double[] heavy = new double[rows.length];
        double known = 0;
        int tracked = 0;
        for (ItemsSketch.Row<String> row : rows) {
            // Mid-point of [lower, upper]: the sketch's error is one-sided per bound.
            double count = (row.getLowerBound() + row.getUpperBound()) / 2.0;
            if (count > 0 && known + count <= total) {
                groups.merge(count, 1.0, Double::sum);
                heavy[tracked++] = count;
                known += count;
            }
        }
        double rest = total - known;
        if (rest > 0) {
            long tailItems = (long) Math.max(1.0, Math.rint(distinctItems) - tracked);
            addTail(groups, java.util.Arrays.copyOf(heavy, tracked), tailItems, rest);
        }
        return of(groups);
    }

    /** Groups the tail is cut into: enough for the two numbers, bounded whatever its length. */
    private static final int TAIL_GROUPS = 512;

    /**
     * Spreads {@code rest} exposures over {@code tailItems} items below the tracked ones. Item
     * popularity in recommendation traffic follows a power law, so the tail continues the
     * rank-frequency line of the lower half of the tracked items (least squares in log-log), scaled
     * so that it holds exactly the rest; with too few tracked items to fit, or a fit that is not
     * decreasing, the rest is spread evenly.
     */
    private static void addTail(
            TreeMap<Double, Double> groups, double[] heavy, long tailItems, double rest) {
        java.util.Arrays.sort(heavy);
        int k = heavy.length;
        double slope = 0;
        if (k >= 8) {
            // Ascending counts: index i holds popularity rank k - i.
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            int m = 0;
            for (int i = 0; i < k / 2; i++) {
                double x = Math.log(k - i);
                double y = Math.log(heavy[i]);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                m++;
            }
            double denominator = m * sxx - sx * sx;
            if (denominator > 0) {
                slope = (m * sxy - sx * sy) / denominator;
            }
        }
        if (!(slope < 0)) {
            groups.merge(rest / tailItems, (double) tailItems, Double::sum);
            return;
        }
        int groupCount = (int) Math.min(TAIL_GROUPS, tailItems);
        double[] weight = new double[groupCount];
        long[] size = new long[groupCount];
        double weightSum = 0;
        long first = k + 1;
        for (int g = 0; g < groupCount; g++) {
            long from = first + tailItems * g / groupCount;
            long to = first + tailItems * (g + 1) / groupCount;
            size[g] = to - from;
            // Integral of r^slope over [from, to): the group's share of the power law.
            weight[g] =
                    slope == -1
                            ? Math.log((double) to / from)
                            : (Math.pow(to, slope + 1) - Math.pow(from, slope + 1)) / (slope + 1);
            weightSum += weight[g];
        }
        for (int g = 0; g < groupCount; g++) {
            if (size[g] > 0 && weight[g] > 0) {
                groups.merge(rest * weight[g] / weightSum / size[g], (double) size[g], Double::sum);
            }
        }
    }

    private static ExposureDistribution of(TreeMap<Double, Double> groups) {
        List<Double> v = new ArrayList<>(groups.keySet());
        double[] values = new double[v.size()];
        double[] items = new double[v.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.get(i);
            items[i] = groups.get(values[i]);
        }
        return new ExposureDistribution(values, items);
    }

    /** Items with any exposure. */
    public double items() {
        double n = 0;
        for (double m : items) {
            n += m;
        }
        return n;
    }

    /** Exposures in total. */
    public double exposures() {
        double total = 0;
        for (int g = 0; g < values.length; g++) {
            total += values[g] * items[g];
        }
        return total;
    }

    /**
     * Gini coefficient of exposure over the exposed items: with the n values sorted ascending, G =
     * sum_i (2i - n - 1) x_i / (n sum_i x_i). A group of m equal values at positions s+1..s+m
     * contributes x m (2s + m - n), which needs no loop over its items. NaN when nothing was shown.
     */
    public double gini() {
        double n = items();
        double total = exposures();
        if (n == 0 || total == 0) {
            return Double.NaN;
        }
        double s = 0;
        double weighted = 0;
        for (int g = 0; g < values.length; g++) {
            double m = items[g];
            weighted += values[g] * m * (2 * s + m - n);
            s += m;
        }
        return weighted / (n * total);
    }

    /**
     * Mean novelty of an exposure against this distribution itself: -sum_i p_i log2 p_i over items,
     * with p_i the item's share of exposure (the entropy of exposure, bits). NaN when nothing was
     * shown.
     */
    public double selfNovelty() {
        double total = exposures();
        if (total == 0) {
            return Double.NaN;
        }
        double bits = 0;
        for (int g = 0; g < values.length; g++) {
            double p = values[g] / total;
            bits -= items[g] * p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
