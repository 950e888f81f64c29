package io.recsys.monitor.operators.drift;

import java.io.Serializable;

/**
 * When a difference counts as drift. With a million events a p-value flags every harmless wobble,
 * so a feature is drifted only when p < {@link #alpha} AND its effect size (KS D or Cramér's V) is
 * at least {@link #minEffectSize}. The prediction scores drift, as in the operations guide, also
 * when their mean moves more than {@link #meanShiftDrift} reference standard deviations, and beyond
 * {@link #meanShiftRetrain} the report recommends retraining. A model version is drifted when a
 * feature is (after Benjamini-Hochberg) or its predictions are. Severity follows the guide: effect
 * below 0.1 low, below 0.3 medium, else high.
 */
public final class DriftRules implements Serializable {
    private static final long serialVersionUID = 1L;

    public final double alpha;
    public final double minEffectSize;
    public final double meanShiftDrift;
    public final double meanShiftRetrain;

    public DriftRules(
            double alpha, double minEffectSize, double meanShiftDrift, double meanShiftRetrain) {
        this.alpha = alpha;
        this.minEffectSize = minEffectSize;
        this.meanShiftDrift = meanShiftDrift;
        this.meanShiftRetrain = meanShiftRetrain;
    }

    /** The guide's values: alpha 0.05, effect 0.1, mean shift 2 (drift) and 3 (retrain). */
    public static DriftRules defaults() {
        return new DriftRules(0.05, 0.1, 2.0, 3.0);
    }

    public boolean drifted(double pValue, double effectSize) {
        return pValue < alpha && effectSize >= minEffectSize;
    }

    /**
     * The guide's prediction rule: the scores' KS test counts as {@link #drifted} does, or their
     * mean moved more than {@link #meanShiftDrift} reference standard deviations.
     */
    public boolean predictionDrifted(double pValue, double ksStatistic, double meanShift) {
        return drifted(pValue, ksStatistic) || meanShift > meanShiftDrift;
    }

    public static String severity(double effectSize) {
        if (!(effectSize >= 0.1)) {
            return "low";
        }
        return effectSize < 0.3 ? "medium" : "high";
    }
}
