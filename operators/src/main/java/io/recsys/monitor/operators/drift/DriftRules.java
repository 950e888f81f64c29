package io.recsys.monitor.operators.drift;

import java.io.Serializable;

/**
 * When a difference counts as drift: a false-alarm budget per day, spread over every test, and a
 * distance floor that does not depend on the sample sizes.
 *
 * <p>Each evaluation tests every feature and the prediction scores on several windows ending at the
 * evaluation: the full drift window and the most recent panes (say the last 15 and 30 minutes),
 * which a persistent shift fills long before it fills the hour. A test flags drift when its p-value
 * is below {@link #testAlpha}, which is {@link #falseAlarmsPerDay} divided by the tests run per
 * model version and day (evaluations a day x windows x tests), so that by Bonferroni's inequality
 * clean traffic raises a drifted flag on a model version at most that often (the overlapping
 * windows make the true rate lower still), AND its distance is at least {@link #minDistance}: KS D
 * for numbers and scores, the total variation distance between the category shares for categories.
 * Neither distance shrinks with the reference's size, unlike Cramér's V of a two-sample table, so
 * the floor means the same at 1 and at 1,000 requests/s; it keeps a large window from flagging a
 * difference too small to matter. The scores drift, as in the operations guide, also when their
 * mean moves more than {@link #meanShiftDrift} reference standard deviations, and beyond {@link
 * #meanShiftRetrain} the report recommends retraining. A model version is drifted when a feature or
 * its predictions are.
 *
 * <p>The guide's own gate (p < {@link #alpha} and KS D or Cramér's V at least {@link
 * #minEffectSize}, on the full window) still defines the {@code DriftedFeatureShare} metric, which
 * alarms may read. Severity follows the guide: effect below 0.1 low, below 0.3 medium, else high.
 */
public final class DriftRules implements Serializable {
    private static final long serialVersionUID = 2L;

    private static final double DAY_MILLIS = 86_400_000.0;

    public final double alpha;
    public final double minEffectSize;
    public final double meanShiftDrift;
    public final double meanShiftRetrain;
    public final double falseAlarmsPerDay;
    public final double minDistance;

    public DriftRules(
            double alpha,
            double minEffectSize,
            double meanShiftDrift,
            double meanShiftRetrain,
            double falseAlarmsPerDay,
            double minDistance) {
        if (!(falseAlarmsPerDay > 0) || !(minDistance >= 0 && minDistance <= 1)) {
            throw new IllegalArgumentException(
                    "false alarms per day must be positive and the minimum distance in [0, 1], got "
                            + falseAlarmsPerDay
                            + " and "
                            + minDistance);
        }
        this.alpha = alpha;
        this.minEffectSize = minEffectSize;
        this.meanShiftDrift = meanShiftDrift;
        this.meanShiftRetrain = meanShiftRetrain;
        this.falseAlarmsPerDay = falseAlarmsPerDay;
        this.minDistance = minDistance;
    }

    /**
     * The guide's gate (alpha 0.05, effect 0.1), mean shift 2 (drift) and 3 (retrain), and the
     * decision's defaults: 0.01 false flags per model version and day, distance at least 0.03.
     */
    public static DriftRules defaults() {
        return new DriftRules(0.05, 0.1, 2.0, 3.0, 0.01, 0.03);
    }

    /**
     * Significance level of one test: the daily budget spread over the tests of a model version in
     * a day, when a window is evaluated every {@code slideMillis} on {@code windows} windows with
     * {@code tests} tests each.
     */
    public double testAlpha(long slideMillis, int windows, int tests) {
        if (slideMillis <= 0 || windows <= 0 || tests <= 0) {
            throw new IllegalArgumentException(
                    "slide, windows and tests must be positive, got "
                            + slideMillis
                            + ", "
                            + windows
                            + ", "
                            + tests);
        }
        double evaluationsPerDay = DAY_MILLIS / slideMillis;
        return falseAlarmsPerDay / (evaluationsPerDay * windows * tests);
    }

    /**
     * The decision on one test of one window: p below {@code testAlpha} (from {@link #testAlpha})
     * and the distance (KS D, or total variation distance of categories) at least {@link
     * #minDistance}.
     */
    public boolean drifted(double pValue, double distance, double testAlpha) {
        return pValue < testAlpha && farEnough(distance);
    }

    /**
     * Whether {@code distance} reaches {@link #minDistance}: when it does not, no p-value makes the
     * test drifted, so a caller may skip computing it.
     */
    public boolean farEnough(double distance) {
        return distance >= minDistance;
    }

    /**
     * The decision on the scores of one window: the KS test counts as {@link #drifted} does, or
     * their mean moved more than {@link #meanShiftDrift} reference standard deviations.
     */
    public boolean predictionDrifted(
            double pValue, double ksStatistic, double meanShift, double testAlpha) {
        return drifted(pValue, ksStatistic, testAlpha) || meanShift > meanShiftDrift;
    }

    /**
     * The guide's gate on a full window, kept for the {@code DriftedFeatureShare} metric: p below
     * {@link #alpha} and the effect size (KS D or Cramér's V) at least {@link #minEffectSize}.
     */
    public boolean passesEffectGate(double pValue, double effectSize) {
        return pValue < alpha && effectSize >= minEffectSize;
    }

    public static String severity(double effectSize) {
        if (!(effectSize >= 0.1)) {
            return "low";
        }
        return effectSize < 0.3 ? "medium" : "high";
    }
}
