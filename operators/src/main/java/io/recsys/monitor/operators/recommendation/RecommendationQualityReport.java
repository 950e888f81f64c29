package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the merged sketch of one slice and window into the recommendation-quality metric points:
 * CoveragePercentage (Percent; only with a known catalogue size), DiversityScore, PopularityGini
 * and Novelty (None). CoveragePercentage carries {@link
 * RecommendationQualityMetrics#coverageTrials} as its samples, DiversityScore its lists and their
 * standard deviation.
 */
public class RecommendationQualityReport
        extends ProcessWindowFunction<RecommendationTally, MetricPoint, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final RecommendationBaseline baseline;

    public RecommendationQualityReport(String namespace, RecommendationBaseline baseline) {
        this.namespace = namespace;
        this.baseline = baseline;
    }

    @Override
    public void process(
            String key,
            Context context,
            Iterable<RecommendationTally> tallies,
            Collector<MetricPoint> out) {
        RecommendationTally tally = null;
        for (RecommendationTally t : tallies) {
            tally = t;
        }
        if (tally == null) {
            return;
        }
        RecommendationSketch s = tally.sketch;
        Map<String, String> dims = TrafficSlice.dimensions(tally.modelVersion, tally.userSegment);
        long start = context.window().getStart();
        long end = context.window().getEnd();
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
