package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.recommendation.RecommendationBaseline;
import io.recsys.monitor.operators.recommendation.RecommendationQualityCounter;
import io.recsys.monitor.operators.recommendation.RecommendationQualityReport;
import io.recsys.monitor.operators.recommendation.RecommendationSliceRollUp;
import io.recsys.monitor.operators.recommendation.RecommendationTallyMerge;
import io.recsys.monitor.operators.recommendation.RecommendationTallyWindow;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The recommendation-quality part of the graph: a fixed-size sketch per (model version, segment)
 * and window of the prediction stream, merged into model version and overall, and reported as
 * CoveragePercentage, DiversityScore, PopularityGini and Novelty. A prediction behind the watermark
 * is not added (the input already counts it as late).
 */
public final class RecommendationQualityGraph {
    private RecommendationQualityGraph() {}

    /** The baseline of a run: the catalogue size from {@code metrics.catalogue-size}. */
    public static RecommendationBaseline baseline(MonitorConfig config) {
        return RecommendationBaseline.of(config.get(Settings.CATALOGUE_SIZE));
    }

    /** The quality metric points of {@code predictions} against {@code baseline}. */
    public static DataStream<MetricPoint> metrics(
            DataStream<PredictionEvent> predictions,
            MonitorConfig config,
            RecommendationBaseline baseline) {
        Duration period = config.get(Settings.ML_METRIC_PERIOD);
        return predictions
                .keyBy(p -> TrafficSlice.key(p.modelVersion, p.userSegment))
                .window(TumblingEventTimeWindows.of(period))
                .aggregate(
                        new RecommendationQualityCounter(baseline), new RecommendationTallyWindow())
                .uid("recommendation-sketch-per-slice")
                .name("Recommendation sketches per model version and segment")
                .flatMap(new RecommendationSliceRollUp())
                .uid("recommendation-roll-up")
                .name("Roll up quality sketches to model version and overall")
                .keyBy(RecommendationSliceRollUp::sliceKey)
                .window(TumblingEventTimeWindows.of(period))
                .reduce(
                        new RecommendationTallyMerge(),
                        new RecommendationQualityReport(
                                config.get(Settings.METRIC_NAMESPACE), baseline))
                .uid("recommendation-quality-metrics")
                .name("Recommendation quality (coverage, diversity, Gini, novelty)");
    }
}
