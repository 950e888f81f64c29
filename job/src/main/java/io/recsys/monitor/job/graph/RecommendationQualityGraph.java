package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.preaggregation.PartialMerge;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import io.recsys.monitor.operators.recommendation.ProfileExposure;
import io.recsys.monitor.operators.recommendation.RecommendationBaseline;
import io.recsys.monitor.operators.recommendation.RecommendationQualityCounter;
import io.recsys.monitor.operators.recommendation.RecommendationQualityReport;
import io.recsys.monitor.operators.recommendation.RecommendationSketch;
import io.recsys.monitor.operators.recommendation.RecommendationSliceRollUp;
import io.recsys.monitor.operators.recommendation.RecommendationTally;
import io.recsys.monitor.operators.recommendation.RecommendationTallyMerge;
import io.recsys.monitor.operators.recommendation.RecommendationTallyWindow;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The recommendation-quality part of the graph: a fixed-size sketch per (model version, segment)
 * and window of the prediction stream, merged into model version and overall, and reported as
 * CoveragePercentage, DiversityScore, PopularityGini and Novelty. A prediction behind the watermark
 * is not added (the input already counts it as late). Each source subtask sketches its own
 * predictions per slice and window before the shuffle ({@link SlicePreAggregation}), so the keyed
 * window merges a few sketches per window instead of adding every prediction to its state; merging
 * sketches keeps their error bounds, though the frequent-items counts (and so PopularityGini and
 * Novelty's tail model) can land differently within them.
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
        Duration period = config.get(Settings.ML_METRIC_PERIOD);
        TypeInformation<RecommendationSketch> sketchType =
                TypeInformation.of(RecommendationSketch.class);
        SlicePreAggregation<PredictionEvent, RecommendationSketch> preAggregation =
                new SlicePreAggregation<>(
                        new RecommendationQualityCounter(baseline),
                        p -> TrafficSlice.key(p.modelVersion, p.userSegment),
                        WindowTime.recordTimestamp(),
                        period.toMillis(),
                        0,
                        sketchType);
        return predictions
                .transform(
                        "Recommendation sketches per slice, before the shuffle",
                        preAggregation.partialType(),
                        preAggregation)
                .uid("recommendation-pre-aggregation")
                .keyBy(p -> p.slice, Types.STRING)
                .window(TumblingEventTimeWindows.of(period))
                .aggregate(
                        new PartialMerge<>(new RecommendationQualityCounter(baseline)),
                        new RecommendationTallyWindow(),
                        sketchType,
                        sketchType,
                        TypeInformation.of(RecommendationTally.class))
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
