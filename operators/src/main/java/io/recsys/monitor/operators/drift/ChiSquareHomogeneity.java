package io.recsys.monitor.operators.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Pearson's chi-square test of homogeneity on the 2 x k table of a categorical feature's reference
 * counts and window counts, without continuity correction, by Commons Math 3.6.1 ({@code
 * ChiSquareTest.chiSquareDataSetsComparison} and {@code chiSquareTestDataSetsComparison}, which
 * equal the contingency-table statistic for any two row totals).
 *
 * <p>The test is valid only when every expected cell count is at least 5 (Cochran's rule), so
 * before testing, categories the reference never saw are folded into one {@value #UNSEEN} column,
 * categories whose smaller expected count is below 5 into one {@value #RARE} column; a bucket still
 * below 5 first joins the other bucket, then absorbs the smallest categories until it reaches 5.
 * When nothing needs folding the test is exactly the test on the raw table.
 *
 * <p>The effect size is Cramér's V of the table with the reference row rescaled to the window's
 * total, V = sqrt(1/2 * sum (p_c - q_c)^2 / (p_c + q_c)) over the category shares p (reference) and
 * q (window). It is in [0, 1], 0 for equal shares and 1 for disjoint ones. V of the raw table would
 * shrink towards 0 as the reference grows, the same shift reading smaller against a bigger
 * reference; the rescaled V does not.
 */
public final class ChiSquareHomogeneity {
    public static final String UNSEEN = "__unseen__";
    public static final String RARE = "__rare__";

    /** Cochran's minimum expected count. */
    static final double MIN_EXPECTED = 5.0;

    private static final ChiSquareTest CHI_SQUARE = new ChiSquareTest();

    private ChiSquareHomogeneity() {}

    /** The outcome of one test. */
    public static final class Result {
        /** Chi-square statistic; 0 when not {@link #testable}. */
        public final double statistic;

        /** p-value; 1 when not {@link #testable}. */
        public final double pValue;

        /** Cramér's V of the rescaled table, in [0, 1]. */
        public final double cramersV;

        public final int degreesOfFreedom;

        /** Whether any category was folded into a bucket. */
        public final boolean folded;

        /** How many categories (of either row) were folded into the unseen or rare bucket. */
        public final int foldedCategories;

        /** False when fewer than two columns remain or one row is empty. */
        public final boolean testable;

        /** The columns tested, after folding. */
        public final List<String> columns;

        Result(
                double statistic,
                double pValue,
                double cramersV,
                int degreesOfFreedom,
                int foldedCategories,
                boolean testable,
                List<String> columns) {
            this.statistic = statistic;
            this.pValue = pValue;
            this.cramersV = cramersV;
            this.degreesOfFreedom = degreesOfFreedom;
            this.folded = foldedCategories > 0;
            this.foldedCategories = foldedCategories;
            this.testable = testable;
            this.columns = Collections.unmodifiableList(columns);
        }
    }

    /** Tests the window's counts against the reference's; zero and negative counts are ignored. */
    public static Result test(Map<String, Long> reference, Map<String, Long> current) {
        long r = total(reference);
        long w = total(current);
        TreeSet<String> names =
                Stream.concat(positive(reference), positive(current))
                        .collect(Collectors.toCollection(TreeSet::new));
        if (r == 0 || w == 0 || names.isEmpty()) {
            return new Result(0.0, 1.0, 0.0, 0, 0, false, new ArrayList<>(names));
        }
        double n = (double) r + w;
        double smallerRow = Math.min(r, w);

        Map<String, long[]> columns = new LinkedHashMap<>();
        long[] unseen = new long[2];
        long[] rare = new long[2];
        for (String name : names) {
            long rc = count(reference, name);
            long wc = count(current, name);
            if (rc == 0) {
                unseen[1] += wc;
            } else if (smallerRow * (rc + wc) / n < MIN_EXPECTED) {
                rare[0] += rc;
                rare[1] += wc;
            } else {
                columns.put(name, new long[] {rc, wc});
            }
        }
        // Two small buckets merge before a whole category is sacrificed to either.
        boolean unseenSmall = unseen[1] > 0 && smallerRow * unseen[1] / n < MIN_EXPECTED;
        boolean rareSmall =
                rare[0] + rare[1] > 0 && smallerRow * (rare[0] + rare[1]) / n < MIN_EXPECTED;
        if (unseenSmall || (rareSmall && unseen[1] > 0)) {
            rare[1] += unseen[1];
            unseen[1] = 0;
        }
        // A bucket still under the minimum takes the smallest categories until it reaches it.
        List<String> bySize = new ArrayList<>(columns.keySet());
        bySize.sort(Comparator.comparingLong((String c) -> columns.get(c)[0] + columns.get(c)[1]));
        int next = 0;
        while (rare[0] + rare[1] > 0
                && smallerRow * (rare[0] + rare[1]) / n < MIN_EXPECTED
                && next < bySize.size()) {
            long[] c = columns.remove(bySize.get(next++));
            rare[0] += c[0];
            rare[1] += c[1];
        }
        // Every name not left as its own column went into a bucket.
        int foldedCategories = names.size() - columns.size();
        if (unseen[1] > 0) {
            columns.put(UNSEEN, unseen);
        }
        if (rare[0] + rare[1] > 0) {
            columns.put(RARE, rare);
        }

        List<String> tested = new ArrayList<>(columns.keySet());
        long[] refRow = columns.values().stream().mapToLong(c -> c[0]).toArray();
        long[] curRow = columns.values().stream().mapToLong(c -> c[1]).toArray();
        double v = cramersV(refRow, curRow);
        if (tested.size() < 2) {
            return new Result(0.0, 1.0, v, 0, foldedCategories, false, tested);
        }
        double statistic = CHI_SQUARE.chiSquareDataSetsComparison(refRow, curRow);
        double p = CHI_SQUARE.chiSquareTestDataSetsComparison(refRow, curRow);
        return new Result(statistic, p, v, tested.size() - 1, foldedCategories, true, tested);
    }

    /** Cramér's V of the table with the first row rescaled to the second's total. */
    static double cramersV(long[] reference, long[] current) {
        double r = LongStream.of(reference).sum();
        double w = LongStream.of(current).sum();
        if (r == 0 || w == 0) {
            return 0.0;
        }
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double p = reference[i] / r;
            double q = current[i] / w;
            if (p + q > 0) {
                sum += (p - q) * (p - q) / (p + q);
            }
        }
        return Math.min(1.0, Math.sqrt(sum / 2.0));
    }

    private static long total(Map<String, Long> counts) {
        return counts.keySet().stream().mapToLong(name -> count(counts, name)).sum();
    }

    private static Stream<String> positive(Map<String, Long> counts) {
        return counts.keySet().stream().filter(name -> count(counts, name) > 0);
    }

    private static long count(Map<String, Long> counts, String name) {
        Long c = counts.get(name);
        return c == null || c < 0 ? 0 : c;
    }
}
