package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class ChiSquareHomogeneityTest {

    private static Map<String, Long> counts(String[] names, long[] values) {
        Map<String, Long> map = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    @Test
    void matchesScipyChi2ContingencyWithoutCorrection() {
        // scipy 1.17.1: chi2_contingency([[120, 90, 40, 15, 35], [80, 95, 70, 25, 30]],
        //   correction=False) -> statistic 19.201568701568704, pvalue 0.0007174148042894819, dof 4
        String[] names = {"a", "b", "c", "d", "e"};
        ChiSquareHomogeneity.Result r =
                ChiSquareHomogeneity.test(
                        counts(names, new long[] {120, 90, 40, 15, 35}),
                        counts(names, new long[] {80, 95, 70, 25, 30}));
        assertThat(r.folded).isFalse();
        assertThat(r.foldedCategories).isZero();
        assertThat(r.degreesOfFreedom).isEqualTo(4);
        assertThat(r.statistic).isCloseTo(19.201568701568704, within(1e-9));
        assertThat(r.pValue).isCloseTo(0.0007174148042894819, within(1e-12));
    }

    /** Pearson's statistic from the definition: sum (O - E)^2 / E with E = row * column / N. */
    private static double pearson(long[][] table) {
        double n = 0;
        double[] rows = new double[2];
        double[] cols = new double[table[0].length];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < cols.length; c++) {
                rows[r] += table[r][c];
                cols[c] += table[r][c];
                n += table[r][c];
            }
        }
        double chi2 = 0;
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < cols.length; c++) {
                double e = rows[r] * cols[c] / n;
                chi2 += (table[r][c] - e) * (table[r][c] - e) / e;
            }
        }
        return chi2;
    }

    @Test
    void equalsTheExactTestOnLargeGeneratedSamplesWhenNothingFolds() {
        Random random = new Random(11);
        String[] names = {"mobile", "desktop", "tablet", "tv", "watch", "car"};
        double[][] shares = {
            {0.40, 0.30, 0.15, 0.08, 0.05, 0.02}, {0.38, 0.31, 0.16, 0.08, 0.05, 0.02}
        };
        long[][] table = new long[2][names.length];
        int[] sizes = {300_000, 120_000};
        for (int row = 0; row < 2; row++) {
            for (int i = 0; i < sizes[row]; i++) {
                double u = random.nextDouble();
                int c = 0;
                double cumulative = shares[row][0];
                while (u > cumulative && c < names.length - 1) {
                    cumulative += shares[row][++c];
                }
                table[row][c]++;
            }
        }
        ChiSquareHomogeneity.Result r =
                ChiSquareHomogeneity.test(counts(names, table[0]), counts(names, table[1]));
        double expected = pearson(table);
        assertThat(r.folded).isFalse();
        assertThat(r.statistic).isCloseTo(expected, within(1e-9 * expected));
        double p = 1 - new ChiSquaredDistribution(names.length - 1).cumulativeProbability(expected);
        assertThat(r.pValue).isCloseTo(p, within(1e-12));
        // Cramér's V of the table with the reference row scaled to the window's total.
        double sum = 0;
        for (int c = 0; c < names.length; c++) {
            double a = table[0][c] / 300_000.0;
            double b = table[1][c] / 120_000.0;
            sum += (a - b) * (a - b) / (a + b);
        }
        assertThat(r.cramersV).isCloseTo(Math.sqrt(sum / 2), within(1e-12));
    }

    @Test
    void foldsUnseenAndRareCategoriesSoThatEveryExpectedCountIsAtLeastFive() {
        Map<String, Long> reference = new HashMap<>();
        reference.put("a", 5000L);
        reference.put("b", 4000L);
        reference.put("rare1", 3L);
        reference.put("rare2", 2L);
        Map<String, Long> current = new HashMap<>();
        current.put("a", 500L);
        current.put("b", 300L);
        current.put("rare1", 1L);
        current.put("new", 200L);
        current.put("tiny-new", 1L);
        ChiSquareHomogeneity.Result r = ChiSquareHomogeneity.test(reference, current);
        assertThat(r.folded).isTrue();
        // Smaller row 1002 of N = 10007: rare1 (3/1) and rare2 (2/0) expect 0.4 and 0.2 window
        // counts, so they fold into the rare bucket (5/1, expecting 0.6); new and tiny-new fold
        // into the unseen bucket (0/201). The rare bucket is still under 5, so it takes the
        // unseen one: a 5000/500, b 4000/300, rare 5/202.
        assertThat(r.columns).containsExactly("a", "b", ChiSquareHomogeneity.RARE);
        // rare1, rare2, new and tiny-new: the report's folded_categories.
        assertThat(r.foldedCategories).isEqualTo(4);
        assertThat(r.degreesOfFreedom).isEqualTo(2);
        assertThat(r.statistic)
                .isCloseTo(pearson(new long[][] {{5000, 4000, 5}, {500, 300, 202}}), within(1e-9));
        assertThat(r.testable).isTrue();
        assertThat(r.cramersV).isBetween(0.0, 1.0);
        assertThat(r.pValue).isLessThan(1e-10);
    }

    @Test
    void identicalSharesGiveNoDriftAndDisjointOnesGiveVOfOne() {
        String[] names = {"x", "y"};
        ChiSquareHomogeneity.Result same =
                ChiSquareHomogeneity.test(
                        counts(names, new long[] {1000, 3000}),
                        counts(names, new long[] {100, 300}));
        assertThat(same.statistic).isCloseTo(0.0, within(1e-12));
        assertThat(same.pValue).isCloseTo(1.0, within(1e-12));
        assertThat(same.cramersV).isCloseTo(0.0, within(1e-12));
        assertThat(ChiSquareHomogeneity.cramersV(new long[] {10, 0}, new long[] {0, 10}))
                .isCloseTo(1.0, within(1e-12));
    }
}
