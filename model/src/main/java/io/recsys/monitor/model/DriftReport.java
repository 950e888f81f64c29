package io.recsys.monitor.model;

import java.util.Objects;

/**
 * The outcome of one drift test for one model version, one feature (or the prediction scores, or
 * the model as a whole) and one sliding window, against one reference profile. It is the record of
 * {@code drift.jsonl}: it says what was compared (sample sizes, reference version), what was found
 * (statistic, p-value, effect size, the error the sketches add) and what it means (drifted,
 * severity, retraining recommended), so that an operator can audit an alarm without the raw data.
 */
public class DriftReport {
    /** {@link #feature} of the report on the prediction scores. */
    public static final String PREDICTION = "_prediction";

    /**
     * {@link #feature} of the model-level report: drifted when a feature report or the prediction
     * report is drifted.
     */
    public static final String MODEL = "_model";

    /** {@link #feature} of the report written while no reference profile is known. */
    public static final String ALL_FEATURES = "_all";

    /** {@link #test}: two-sample Kolmogorov-Smirnov on a numerical feature. */
    public static final String KS = "ks";

    /** {@link #test}: chi-square test of homogeneity on a categorical feature. */
    public static final String CHI_SQUARE = "chi-square";

    /** {@link #test}: KS, mean shift and variance change on the prediction scores. */
    public static final String PREDICTION_KS = "prediction-ks";

    /**
     * {@link #test} of the model-level report: drifted when a feature or the predictions are, each
     * test at the significance level that the false-alarm budget per day gives it.
     */
    public static final String FALSE_ALARM_BUDGET = "false-alarm-budget";

    /** {@link #test}: no reference profile for the model version and no default one. */
    public static final String NO_REFERENCE = "no-reference";

    public String modelVersion;
    public String feature;
    public String test;

    /** KS D, or the chi-square statistic, or (model level) the number of drifted features. */
    public double statistic;

    public double pValue;

    /** KS D, Cramér's V, or (prediction) the mean shift in reference standard deviations. */
    public double effectSize;

    public long nReference;
    public long nCurrent;

    /** Largest error the sketches can add to {@link #statistic} (KS D), 0 when exact. */
    public double errorBound;

    public boolean drifted;

    /**
     * Length in minutes of the shortest window, ending at {@link #windowEnd}, whose test flagged
     * the drift (the full window or one of its most recent parts); 0 when not drifted.
     */
    public int flaggedByMinutes;

    /** low, medium or high. */
    public String severity;

    /** The reference profile's version, {@code null} with {@link #NO_REFERENCE}. */
    public String referenceVersion;

    public long windowStart;
    public long windowEnd;

    /** Prediction report only: mean shift above the retraining threshold. */
    public boolean retrainingRecommended;

    /** Population stability index (numerical features; NaN otherwise). */
    public double psi = Double.NaN;

    /** Jensen-Shannon distance, base 2, in [0, 1] (numerical features; NaN otherwise). */
    public double jensenShannon = Double.NaN;

    /** Prediction report only: |sd_now - sd_ref| / sd_ref (NaN otherwise). */
    public double varianceChange = Double.NaN;

    /**
     * Chi-square reports only: how many categories were folded into the unseen or rare bucket
     * before testing, so that the expected counts reach Cochran's minimum; 0 when the test ran on
     * the raw table.
     */
    public int foldedCategories;

    public DriftReport() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DriftReport)) {
            return false;
        }
        DriftReport that = (DriftReport) o;
        return Double.compare(statistic, that.statistic) == 0
                && Double.compare(pValue, that.pValue) == 0
                && Double.compare(effectSize, that.effectSize) == 0
                && nReference == that.nReference
                && nCurrent == that.nCurrent
                && Double.compare(errorBound, that.errorBound) == 0
                && drifted == that.drifted
                && flaggedByMinutes == that.flaggedByMinutes
                && windowStart == that.windowStart
                && windowEnd == that.windowEnd
                && retrainingRecommended == that.retrainingRecommended
                && Double.compare(psi, that.psi) == 0
                && Double.compare(jensenShannon, that.jensenShannon) == 0
                && Double.compare(varianceChange, that.varianceChange) == 0
                && foldedCategories == that.foldedCategories
                && Objects.equals(modelVersion, that.modelVersion)
                && Objects.equals(feature, that.feature)
                && Objects.equals(test, that.test)
                && Objects.equals(severity, that.severity)
                && Objects.equals(referenceVersion, that.referenceVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelVersion, feature, test, windowEnd);
    }

    @Override
    public String toString() {
        return "DriftReport{"
                + modelVersion
                + "/"
                + feature
                + " "
                + test
                + " stat="
                + statistic
                + " p="
                + pValue
                + " effect="
                + effectSize
                + " n="
                + nReference
                + "/"
                + nCurrent
                + " drifted="
                + drifted
                + (drifted ? " by " + flaggedByMinutes + " min" : "")
                + " "
                + severity
                + " ref="
                + referenceVersion
                + " window="
                + windowStart
                + ".."
                + windowEnd
                + "}";
    }
}
