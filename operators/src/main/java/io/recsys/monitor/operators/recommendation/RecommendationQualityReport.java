package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.util.Map;
import java.util.OptionalDouble;
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
        long start = tally.windowStart;
        long end = tally.windowEnd;
        emit(
                out,
                MetricNames.COVERAGE,
                dims,
                RecommendationQualityMetrics.coveragePercentage(s, baseline.catalogueSize()),
                "Percent",
                start,
                end,
                RecommendationQualityMetrics.coverageTrials(s, baseline.catalogueSize()),
                Double.NaN);
        emit(
                out,
                MetricNames.DIVERSITY,
                dims,
                RecommendationQualityMetrics.diversityScore(s),
                "None",
                start,
                end,
                s.diversityResponses(),
                s.diversityStdDev());
        emit(
                out,
                MetricNames.POPULARITY_GINI,
                dims,
                RecommendationQualityMetrics.popularityGini(s),
                "None",
                start,
                end);
        emit(
                out,
                MetricNames.NOVELTY,
                dims,
                RecommendationQualityMetrics.novelty(s, baseline),
                "None",
                start,
                end);
    }

    private void emit(
            Collector<MetricPoint> out,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit,
            long start,
            long end) {
        emit(out, metric, dims, value, unit, start, end, 0, Double.NaN);
    }

    private void emit(
            Collector<MetricPoint> out,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit,
            long start,
            long end,
            long samples,
            double sampleStdDev) {
        if (value.isPresent()) {
            out.collect(
                    new MetricPoint(namespace, metric, dims, value.getAsDouble(), unit, start, end)
                            .withEvidence(samples, sampleStdDev));
        }
    }
}
