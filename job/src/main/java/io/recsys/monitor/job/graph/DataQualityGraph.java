package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.model.StreamEventTime;
import io.recsys.monitor.operators.dataquality.DataQualityReport;
import io.recsys.monitor.operators.dataquality.DeadLetterTimestamps;
import io.recsys.monitor.operators.dataquality.QualityAggregates;
import io.recsys.monitor.operators.dataquality.QualityMerge;
import io.recsys.monitor.operators.dataquality.QualityRollUp;
import io.recsys.monitor.operators.dataquality.QualityWindow;
import io.recsys.monitor.operators.dataquality.StreamFreshness;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The data quality part of the graph, per window of {@code metrics.data-quality-period}:
 * completeness (FeatureMissingRate, FieldMissingRate), validity (ValidityViolations), invalid
 * events per dead-letter category (InvalidEvents) and volume (EventVolume), overall and per model
 * version where the stream has one; and, when event time follows the clock (live sources),
 * freshness (EventLagSeconds) per stream on a processing-time schedule. Each stream is counted into
 * bounded counters, which merge into the model-version and overall slices.
 */
public final class DataQualityGraph {
    /** Buckets that spread feedback and dead-letter counting over the cluster before the merge. */
    private static final int BUCKETS = 16;

    private DataQualityGraph() {}

    /**
     * Adds the data quality operators over {@code predictions} (whole, or as {@code
     * PredictionProjections.forDataQuality}), feedback and dead letters; returns their metric
     * points.
     */
    public static DataStream<MetricPoint> build(
            DataStream<PredictionEvent> predictions,
            DataStream<FeedbackEvent> feedback,
            DataStream<DeadLetter> deadLetters,
            MonitorConfig config) {
        Duration period = config.get(Settings.DATA_QUALITY_PERIOD);
        int maxFeatures = config.get(Settings.MAX_FEATURES);
        String namespace = config.get(Settings.METRIC_NAMESPACE);
        long maxAhead =
                config.get(Settings.WATERMARK_OUT_OF_ORDERNESS).toMillis() + period.toMillis();

        DataStream<QualityTally> predictionCounts =
                predictions
                        .keyBy(p -> p.modelVersion)
                        .window(TumblingEventTimeWindows.of(period))
                        .aggregate(
                                new QualityAggregates.Predictions(maxFeatures),
                                new QualityWindow(true))
                        .uid("data-quality-predictions")
                        .name("Data quality counts of predictions per model version");
        DataStream<QualityTally> feedbackCounts =
                feedback.keyBy(f -> bucket(f.requestId))
                        .window(TumblingEventTimeWindows.of(period))
                        .aggregate(
                                new QualityAggregates.Feedback(maxFeatures),
                                new QualityWindow(false))
                        .uid("data-quality-feedback")
                        .name("Data quality counts of feedback");
        DataStream<QualityTally> deadLetterCounts =
                deadLetters
                        .transform(
                                "Event time of dead letters (from their raw event_time)",
                                TypeInformation.of(DeadLetter.class),
                                new DeadLetterTimestamps(maxAhead))
                        .uid("dead-letter-timestamps")
                        .keyBy(d -> bucket(d.raw))
                        .window(TumblingEventTimeWindows.of(period))
                        .aggregate(
                                new QualityAggregates.DeadLetters(maxFeatures),
                                new QualityWindow(false))
                        .uid("data-quality-dead-letters")
                        .name("Data quality counts of dead letters");

        DataStream<MetricPoint> quality =
                predictionCounts
                        .union(feedbackCounts, deadLetterCounts)
                        .flatMap(new QualityRollUp())
                        .uid("data-quality-roll-up")
                        .name("Roll up data quality counts to overall")
                        .keyBy(QualityRollUp::sliceKey)
                        .window(TumblingEventTimeWindows.of(period))
                        .reduce(new QualityMerge(maxFeatures))
                        .uid("data-quality-merge")
                        .name("Merge data quality counts per slice")
                        .flatMap(new DataQualityReport(namespace))
                        .uid("data-quality-metrics")
                        .name(
                                "Data quality metrics: completeness, validity, invalid events, volume");

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
