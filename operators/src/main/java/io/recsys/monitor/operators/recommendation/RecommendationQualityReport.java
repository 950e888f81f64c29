package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.sliced.WindowPoints;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the merged sketch of one slice and window into the recommendation-quality metric points:
 * CoveragePercentage (Percent; only with a known catalogue size), DiversityScore, PopularityGini
 * and Novelty (None). CoveragePercentage carries {@link
 * RecommendationQualityMetrics#coverageTrials} as its samples, DiversityScore its lists and their
 * standard deviation.
 *
 * <p>A slice whose responses all had no recommendations (errors) reports nothing, as no quality can
 * be read from it: the totals still carry it, so a slice of only such responses adds nothing to a
 * coarser one.
 */
public class RecommendationQualityReport
        implements FlatMapFunction<SliceTally<RecommendationSketch>, MetricPoint> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final RecommendationBaseline baseline;

    public RecommendationQualityReport(String namespace, RecommendationBaseline baseline) {
        this.namespace = namespace;
        this.baseline = baseline;
    }

    @Override
    public void flatMap(SliceTally<RecommendationSketch> tally, Collector<MetricPoint> out) {
        RecommendationSketch s = tally.accumulator;
        if (s.responses() == 0) {
            return;
        }
        Map<String, String> dims = TrafficSlice.dimensions(tally.slice);
        WindowPoints points = WindowPoints.of(tally, dims, namespace, out);
        points.emit(
                MetricNames.COVERAGE,
                RecommendationQualityMetrics.coveragePercentage(s, baseline.catalogueSize()),
                "Percent",
                RecommendationQualityMetrics.coverageTrials(s, baseline.catalogueSize()));
        points.emit(
                MetricNames.DIVERSITY,
                RecommendationQualityMetrics.diversityScore(s),
                "None",
                s.diversityResponses(),
                s.diversityStdDev());
        points.emit(
                MetricNames.POPULARITY_GINI,
                RecommendationQualityMetrics.popularityGini(s),
                "None");
        points.emit(MetricNames.NOVELTY, RecommendationQualityMetrics.novelty(s, baseline), "None");
    }
}
