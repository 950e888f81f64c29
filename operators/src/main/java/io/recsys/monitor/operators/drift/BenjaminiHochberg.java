package io.recsys.monitor.operators.drift;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The Benjamini-Hochberg step-up procedure: among m p-values, reject the k smallest where k is the
 * largest rank with p_(k) <= k / m * q. It keeps the expected share of false discoveries among the
 * rejected hypotheses at most q (for independent or positively dependent tests), which is what a
 * model-level "drifted" flag over dozens of features needs: testing each feature at alpha alone
 * would flag some feature in most windows of a model with 20 features.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    /** Which hypotheses are rejected at false discovery rate {@code q}; NaN p-values never are. */
    public static boolean[] reject(double[] pValues, double q) {
        int m = 0;
        for (double p : pValues) {
            if (!Double.isNaN(p)) {
                m++;
            }
        }
        Integer[] order = new Integer[pValues.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.comparingDouble(
                        (Integer i) -> Double.isNaN(pValues[i]) ? Double.MAX_VALUE : pValues[i]));
        int largest = 0;
        for (int k = 1; k <= m; k++) {
            if (pValues[order[k - 1]] <= (double) k / m * q) {
                largest = k;
            }
        }
        boolean[] rejected = new boolean[pValues.length];
        for (int k = 0; k < largest; k++) {
            rejected[order[k]] = true;
        }
        return rejected;
    }
}
