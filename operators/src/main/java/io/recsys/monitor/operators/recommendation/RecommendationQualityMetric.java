package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import io.recsys.monitor.operators.sliced.SlicedMetric;

/**
 * Recommendation quality as a sliced metric: responses sketched per (model version, segment) into
 * {@link RecommendationSketch}, per window of {@code metrics.ml-period}, rolled up to the model
 * version and overall, and reported by {@link RecommendationQualityReport} against the run's {@link
 * RecommendationBaseline}. Its stages keep the uids of earlier releases ({@code
 * recommendation-pre-aggregation}, {@code recommendation-sketch-per-slice}, {@code
 * recommendation-roll-up}); the totals, new in this release, are {@code recommendation-totals}. The
 * report's uid is new ({@code recommendation-quality-report}): the previous release's {@code
 * recommendation-quality-metrics} was its merge window, whose state only {@link
 * RecommendationTallyMerge} can read.
 */
public final class RecommendationQualityMetric {
    private RecommendationQualityMetric() {}

    /** The description of recommendation quality under {@code config} and {@code baseline}. */
    public static SlicedMetric<PredictionEvent, RecommendationSketch> describe(
            MonitorConfig config, RecommendationBaseline baseline) {
        // Given to the counting, not to the sketch: see RecommendationSketch.
        ExposureReference reference = baseline.exposure().orElse(null);
        return SlicedMetric.<PredictionEvent, RecommendationSketch>named(
                        "recommendation", "Quality sketches")
                .uids(
                        "recommendation-pre-aggregation",
                        "recommendation-sketch-per-slice",
                        "recommendation-roll-up",
                        "recommendation-totals")
                .slicedBy(p -> TrafficSlice.key(p.modelVersion, p.userSegment))
                .windowTime(WindowTime.recordTimestamp())
                .windows(
                        config.get(Settings.ML_METRIC_PERIOD),
                        config.get(Settings.RECOMMENDATION_ALLOWED_LATENESS))
                .rollUp(TrafficSlice.ROLL_UP)
                .accumulator(new RecommendationSketch.Codec())
                .countedBy((prediction, sketch) -> sketch.add(prediction, reference))
                .report(
                        new RecommendationQualityReport(
                                config.get(Settings.METRIC_NAMESPACE), baseline),
                        "recommendation-quality-report",
                        "Recommendation quality (coverage, diversity, Gini, novelty)")
                .build();
    }
}
