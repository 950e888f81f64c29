package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.model.StreamEventTime;
import io.recsys.monitor.operators.dataquality.DataQualityMetric;
import io.recsys.monitor.operators.dataquality.DataQualityReport;
import io.recsys.monitor.operators.dataquality.DeadLetterTimestamps;
import io.recsys.monitor.operators.dataquality.QualityAggregates;
import io.recsys.monitor.operators.dataquality.QualityMerge;
import io.recsys.monitor.operators.dataquality.QualityPreCount;
import io.recsys.monitor.operators.dataquality.StreamFreshness;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The data quality part of the graph, per window of {@code metrics.data-quality-period}:
 * completeness (FeatureMissingRate, FieldMissingRate), validity (ValidityViolations), invalid
 * events per dead-letter category (InvalidEvents), volume (EventVolume) and predictions with a
 * model version, segment or feature name beyond its cap (FoldedDimensionValues, overall), overall
 * and per model version where the stream has one; and, when event time follows the clock (live
 * sources), freshness (EventLagSeconds) per stream on a processing-time schedule. Each stream is
 * counted into bounded counters where it is parsed ({@link QualityPreCount}; dead letters in
 * buckets), so that only counts cross the network; the sliced-metric stages of {@link
 * DataQualityMetric} complete, roll up and report them, and an event up to {@code
 * metrics.data-quality-allowed-lateness} behind the watermark corrects its window.
 */
public final class DataQualityGraph {
    /** Buckets that spread dead-letter counting over the cluster before the merge. */
    private static final int BUCKETS = 16;

    private DataQualityGraph() {}

    /**
     * Adds the data quality operators over {@code predictions} and {@code feedback} (as the split
     * emits them: the counting is chained to it), dead letters and the dimension of each prediction
     * with a value beyond its cap ({@code FoldDimensions.FOLDED}); returns their metric points.
     */
    public static DataStream<MetricPoint> build(
            DataStream<PredictionEvent> predictions,
            DataStream<FeedbackEvent> feedback,
            DataStream<DeadLetter> deadLetters,
            DataStream<String> foldedValues,
            MonitorConfig config) {
        SlicedMetric<DataQualityCounts, DataQualityCounts> metric =
                DataQualityMetric.describe(config);
        Duration period = metric.period();
        long periodMillis = period.toMillis();
        long latenessMillis = metric.allowedLateness().toMillis();
        int maxFeatures = config.get(Settings.MAX_FEATURES);
        String namespace = config.get(Settings.METRIC_NAMESPACE);
        TypeInformation<QualityTally> tallyType = TypeInformation.of(QualityTally.class);
        TypeInformation<SlicePartial<DataQualityCounts>> partialType =
                SlicePartial.typeInfo(metric.accumulatorType());

        // Counted where they are parsed (chained to the split): counts cross the network, not
        // the events.
        DataStream<QualityTally> predictionCounts =
                predictions
                        .transform(
                                "Data quality counts of predictions per model version, before the"
                                        + " shuffle",
                                tallyType,
                                QualityPreCount.predictions(
                                        periodMillis, latenessMillis, maxFeatures))
                        .setParallelism(predictions.getParallelism())
                        .uid("data-quality-predictions-pre-count");
        DataStream<QualityTally> feedbackCounts =
                feedback.transform(
                                "Data quality counts of feedback, before the shuffle",
                                tallyType,
                                QualityPreCount.feedback(periodMillis, latenessMillis, maxFeatures))
                        .setParallelism(feedback.getParallelism())
                        .uid("data-quality-feedback-pre-count");
        // Counted where they are folded (chained to the source), like the predictions.
        DataStream<QualityTally> foldedCounts =
                foldedValues
                        .transform(
                                "Data quality counts of values beyond their caps, before the"
                                        + " shuffle",
                                tallyType,
                                QualityPreCount.foldedValues(
                                        periodMillis, latenessMillis, maxFeatures))
                        .setParallelism(foldedValues.getParallelism())
                        .uid("data-quality-folded-values-pre-count");
        DataStream<QualityTally> preCounted = predictionCounts.union(feedbackCounts, foldedCounts);
        // No lateness here: a re-fired bucket would add its whole count to the per-slice window
        // again. Dead letters take their split's watermark as event time, so none is late.
        DataStream<SlicePartial<DataQualityCounts>> deadLetterCounts =
                deadLetters
                        .transform(
                                "Event time of dead letters (their split's watermark; held"
                                        + " before the first)",
                                TypeInformation.of(DeadLetter.class),
                                new DeadLetterTimestamps(
                                        config.get(Settings.WATERMARK_OUT_OF_ORDERNESS).toMillis(),
                                        periodMillis))
                        .setParallelism(deadLetters.getParallelism())
                        .uid("dead-letter-timestamps")
                        .keyBy(d -> bucket(d.raw))
                        .window(TumblingEventTimeWindows.of(period))
                        .aggregate(
                                QualityAggregates.deadLetters(maxFeatures),
                                DataQualityMetric.deadLetterPartial(),
                                metric.accumulatorType(),
                                partialType)
                        .uid("data-quality-dead-letters")
                        .name("Data quality counts of dead letters");
        // The merge window of the previous release, fed nothing: it fires the windows a savepoint
        // of that release holds, as totals of their own.
        DataStream<SliceTally<DataQualityCounts>> restoredMerge =
                preCounted
                        .filter(t -> false)
                        .uid("data-quality-previous-release-merge-input")
                        .name("Nothing: the previous release's merge window only fires its state")
                        .keyBy(QualityMerge::sliceKey)
                        .window(TumblingEventTimeWindows.of(period))
                        .reduce(
                                new QualityMerge(maxFeatures),
                                new QualityMerge.Restored(),
                                SliceTally.typeInfo(metric.accumulatorType()))
                        .uid("data-quality-merge")
                        .name("Data quality counts a previous-release savepoint held");

        DataStream<MetricPoint> quality =
                SlicedMetricGraph.fromPartials(
                                preCounted
                                        .map(QualityTally::partial, partialType)
                                        .uid("data-quality-partials")
                                        .name("Data quality counts as partials of their slice")
                                        .union(deadLetterCounts),
                                metric,
                                restoredMerge)
                        .report;

        if (!config.eventTimeFollowsClock()) {
            // Processing time minus event time says nothing about a replay or generated traffic.
            return quality;
        }
        DataStream<StreamEventTime> eventTimes =
                predictions
                        .map(p -> new StreamEventTime(DataQualityReport.PREDICTIONS, p.eventTime))
                        .uid("freshness-predictions")
                        .name("Event time of predictions")
                        .union(
                                feedback.map(
                                                f ->
                                                        new StreamEventTime(
                                                                DataQualityReport.FEEDBACK,
                                                                f.eventTime))
                                        .uid("freshness-feedback")
                                        .name("Event time of feedback"));
        DataStream<MetricPoint> freshness =
                eventTimes
                        .keyBy(e -> e.stream)
                        .process(
                                new StreamFreshness(
                                        namespace,
                                        config.get(Settings.FRESHNESS_INTERVAL).toMillis()))
                        .uid("freshness")
                        .name("Freshness: event lag per stream on a processing-time timer");
        return quality.union(freshness);
    }

    private static String bucket(String text) {
        return Integer.toString(Math.floorMod(text == null ? 0 : text.hashCode(), BUCKETS));
    }
}
