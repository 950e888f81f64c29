package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import java.util.OptionalDouble;

/**
 * The completeness rates of the operations guide's data quality checks ({@code
 * data.isnull().mean()}, as percent), computed from the counts of one window. A rate without a
 * denominator is absent rather than 0.
 */
public final class DataQualityMetrics {
    private DataQualityMetrics() {}

    /**
     * Predictions without a value for {@code feature} (absent, or present with null) per prediction
     * in the window, in percent.
     */
    public static OptionalDouble featureMissingRate(DataQualityCounts c, String feature) {
        Long present = c.featurePresent.get(feature);
        return percent(c.predictions - (present == null ? 0 : present), c.predictions);
    }

    /**
     * Events missing {@code field} per event that should carry it, in percent: user_segment and
     * features per prediction, recommendations per successful prediction, error_type per failed
     * prediction, a required field per event read (accepted or dead-lettered, both streams).
     */
    public static OptionalDouble fieldMissingRate(DataQualityCounts c, String field) {
        Long missing = c.fieldMissing.get(field);
        return percent(missing == null ? 0 : missing, fieldDenominator(c, field));
    }

    static long fieldDenominator(DataQualityCounts c, String field) {
        switch (field) {
            case DataQualityCounting.USER_SEGMENT:
            case DataQualityCounting.FEATURES:
                return c.predictions;
            case DataQualityCounting.RECOMMENDATIONS:
                return c.okPredictions;
            case DataQualityCounting.ERROR_TYPE:
                return c.errorPredictions;
            default:
                return c.predictions + c.feedback + c.deadLetters;
        }
    }

    private static OptionalDouble percent(long numerator, long denominator) {
        return denominator == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * numerator / denominator);
    }
}
