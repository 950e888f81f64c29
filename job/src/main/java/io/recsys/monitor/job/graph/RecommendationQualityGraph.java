package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.recommendation.ProfileExposure;
import io.recsys.monitor.operators.recommendation.RecommendationBaseline;
import io.recsys.monitor.operators.recommendation.RecommendationQualityMetric;
import io.recsys.monitor.operators.recommendation.RecommendationSketch;
import io.recsys.monitor.operators.recommendation.RecommendationTally;
import io.recsys.monitor.operators.recommendation.RecommendationTallyMerge;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;

/**
 * The recommendation-quality part of the graph: a fixed-size sketch per (model version, segment)
 * and window of the prediction stream, merged into model version and overall, and reported as
 * CoveragePercentage, DiversityScore, PopularityGini and Novelty. The counting, the roll-up and the
 * late corrections are the sliced metric {@link RecommendationQualityMetric} built by {@link
 * SlicedMetricGraph}: a prediction up to {@code metrics.recommendation-allowed-lateness} behind the
 * watermark re-fires its window and corrects every slice of it; a later one is not counted. Merging
 * sketches keeps their error bounds, though the frequent-items counts (and so PopularityGini and
 * Novelty's tail model) can land differently within them. The report's uid is {@code
 * recommendation-quality-report}; {@code recommendation-quality-metrics}, the previous release's
 * merge window, only fires the sketches a savepoint of that release holds ({@link
 * RecommendationTallyMerge}), which join the totals beside the new stages' own.
 */
public final class RecommendationQualityGraph {
    private RecommendationQualityGraph() {}

    /**
     * The baseline of a run: the catalogue size from {@code metrics.catalogue-size}, else from the
     * reference profile ({@code drift.reference}, its default model), else from the synthetic
     * generator's catalogue when it is the source; and the reference's item exposures for Novelty.
     * The reference is read once, when the job starts: the drift operators take a new reference
     * while running, these two take it at the next start.
     */
    public static RecommendationBaseline baseline(MonitorConfig config) {
        long catalogue = config.get(Settings.CATALOGUE_SIZE);
        ModelProfile profile = startingReference(config);
        if (catalogue == 0 && profile != null) {
            catalogue = profile.catalogueSize;
        }
        if (catalogue == 0 && "generator".equals(config.get(Settings.SOURCE_TYPE))) {
            catalogue = config.get(Settings.GENERATOR_CATALOGUE_SIZE);
        }
        RecommendationBaseline baseline = RecommendationBaseline.of(catalogue);
        ProfileExposure exposure = ProfileExposure.of(profile);
        return exposure == null ? baseline : baseline.withExposure(exposure);
    }

    /** The default model's profile of the reference file, or of the newest file of a directory. */
    static ModelProfile startingReference(MonitorConfig config) {
        String location = config.get(Settings.DRIFT_REFERENCE);
        if (location.isEmpty()) {
            return null;
        }
        Path path = Paths.get(location);
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    path =
                            files.filter(p -> p.toString().endsWith(".json"))
                                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                                    .orElse(null);
                }
            }
            if (path == null || !Files.isRegularFile(path)) {
                return null;
            }
            ReferenceProfile reference =
                    ReferenceProfileJson.read(
                            new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
            return reference.profileFor(ReferenceProfile.DEFAULT);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(
                    "Cannot read the reference profile at '"
                            + location
                            + "' (drift.reference): "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The quality metric points of {@code predictions} (whole, or as {@code
     * PredictionProjections.forRecommendationQuality}) against {@code baseline}.
     */
    public static DataStream<MetricPoint> metrics(
            DataStream<PredictionEvent> predictions,
            MonitorConfig config,
            RecommendationBaseline baseline) {
        SlicedMetric<PredictionEvent, RecommendationSketch> metric =
                RecommendationQualityMetric.describe(config, baseline);
        // The merge window of the previous release, fed nothing: it fires the windows a savepoint
        // of that release holds, as totals of their own.
        DataStream<SliceTally<RecommendationSketch>> restoredMerge =
                predictions
                        .flatMap(
                                (PredictionEvent p, Collector<RecommendationTally> none) -> {},
                                RecommendationTally.typeInfo(metric.accumulatorType()))
                        .setParallelism(predictions.getParallelism())
                        .uid("recommendation-previous-release-merge-input")
                        .name("Nothing: the previous release's merge window only fires its state")
                        .keyBy(RecommendationTally::slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(metric.period()))
                        .reduce(
                                new RecommendationTallyMerge(),
                                new RecommendationTallyMerge.Restored(),
                                SliceTally.typeInfo(metric.accumulatorType()))
                        .uid("recommendation-quality-metrics")
                        .name("Recommendation quality sketches a previous-release savepoint held");
        return SlicedMetricGraph.build(predictions, metric, restoredMerge).report;
    }
}
