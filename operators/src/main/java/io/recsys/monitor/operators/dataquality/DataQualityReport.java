package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.ingest.FoldDimensions;
import io.recsys.monitor.operators.sliced.WindowPoints;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the merged data quality counts of a window into metric points. Per model version and
 * overall: FeatureMissingRate per Feature, FieldMissingRate per optional Field, the soft
 * ValidityViolations per Rule and the predictions' EventVolume. Overall only (feedback and dead
 * letters have no model version): feedback EventVolume, InvalidEvents per category (as Rule),
 * ValidityViolations of the rules the parser enforces, FieldMissingRate per required Field,
 * FoldedDimensionValues per capped Dimension (predictions with a value beyond its cap). Rules,
 * dimensions, categories and fields of the contract are reported with 0 too, so that an alarm sees
 * a healthy window as a value rather than as missing data. FeatureMissingRate carries the
 * predictions it divides by as its samples. A slice is a model version, or "" for overall.
 */
public class DataQualityReport
        implements FlatMapFunction<SliceTally<DataQualityCounts>, MetricPoint> {
    private static final long serialVersionUID = 1L;

    public static final String PREDICTIONS = "predictions";
    public static final String FEEDBACK = "feedback";

    private static final List<String> OPTIONAL_FIELDS =
            Arrays.asList(
                    DataQualityCounting.USER_SEGMENT,
                    DataQualityCounting.RECOMMENDATIONS,
                    DataQualityCounting.FEATURES,
                    DataQualityCounting.ERROR_TYPE);

    private final String namespace;

    public DataQualityReport(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void flatMap(SliceTally<DataQualityCounts> tally, Collector<MetricPoint> out) {
        DataQualityCounts c = tally.accumulator;
        TreeMap<String, String> base = new TreeMap<>();
        boolean overall = tally.slice.isEmpty();
        if (!overall) {
            base.put(MetricNames.MODEL_VERSION, tally.slice);
        }
        WindowPoints points = WindowPoints.of(tally, base, namespace, out);
        for (String feature : c.featurePresent.keySet()) {
            points.with(MetricNames.FEATURE, feature)
                    .emit(
                            MetricNames.FEATURE_MISSING_RATE,
                            DataQualityMetrics.featureMissingRate(c, feature),
                            "Percent",
                            c.predictions);
        }
        for (String field : OPTIONAL_FIELDS) {
            points.with(MetricNames.FIELD, field)
                    .emit(
                            MetricNames.FIELD_MISSING_RATE,
                            DataQualityMetrics.fieldMissingRate(c, field),
                            "Percent");
        }
        if (c.predictions > 0) {
            for (String rule : DataQualityCounting.SOFT_RULES) {
                points.with(MetricNames.RULE, rule)
                        .emit(MetricNames.VALIDITY_VIOLATIONS, count(c.violations, rule), "Count");
            }
        }
        points.with(MetricNames.STREAM, PREDICTIONS)
                .emit(MetricNames.EVENT_VOLUME, c.predictions, "Count");
        if (!overall) {
            return;
        }
        points.with(MetricNames.STREAM, FEEDBACK)
                .emit(MetricNames.EVENT_VOLUME, c.feedback, "Count");
        for (String category : DeadLetterRules.CATEGORIES) {
            points.with(MetricNames.RULE, category)
                    .emit(
                            MetricNames.INVALID_EVENTS,
                            count(c.invalidByCategory, category),
                            "Count");
        }
        if (c.invalidByCategory.containsKey(DeadLetterRules.OTHER)) {
            points.with(MetricNames.RULE, DeadLetterRules.OTHER)
                    .emit(
                            MetricNames.INVALID_EVENTS,
                            count(c.invalidByCategory, DeadLetterRules.OTHER),
                            "Count");
        }
        for (String dimension : FoldDimensions.DIMENSIONS) {
            points.with(MetricNames.DIMENSION, dimension)
                    .emit(MetricNames.FOLDED_DIMENSION_VALUES, count(c.folded, dimension), "Count");
        }
        for (String rule : DeadLetterRules.REJECTING_RULES) {
            points.with(MetricNames.RULE, rule)
                    .emit(MetricNames.VALIDITY_VIOLATIONS, count(c.violations, rule), "Count");
        }
        for (String field : DeadLetterRules.REQUIRED_FIELDS) {
            points.with(MetricNames.FIELD, field)
                    .emit(
                            MetricNames.FIELD_MISSING_RATE,
                            DataQualityMetrics.fieldMissingRate(c, field),
                            "Percent");
        }
    }

    private static long count(Map<String, Long> counts, String name) {
        Long n = counts.get(name);
        return n == null ? 0 : n;
    }
}
