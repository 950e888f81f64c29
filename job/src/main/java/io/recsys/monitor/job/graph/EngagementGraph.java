package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignalSerializer;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.operators.engagement.EngagementMetric;
import io.recsys.monitor.operators.engagement.FeedbackAttribution;
import io.recsys.monitor.operators.engagement.FeedbackAttributionOperator;
import io.recsys.monitor.operators.engagement.LateFeedbackCount;
import io.recsys.monitor.operators.engagement.Relevance;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The engagement part of the graph: attribute feedback to predictions, then count the funnel per
 * (model version, segment) and window, roll the counts up to model version and overall, and report
 * the engagement metrics. The counting, the roll-up and the late corrections are the sliced metric
 * {@link EngagementMetric} built by {@link SlicedMetricGraph}; what is engagement's own is the
 * attribution and the count of late feedback.
 *
 * <p>Late feedback: the funnel windows keep their counts for the attribution window after they fire
 * (allowed lateness), so feedback attributed late re-fires its window with the whole new count and
 * the totals replace that slice's earlier contribution in every coarser slice; the corrected
 * metrics are emitted again with the window's timestamp, once per watermark advance. Later signals
 * are counted by {@link LateFeedbackCount}, and so is feedback that arrived after attribution had
 * given up on it ({@link FeedbackAttribution}).
 */
public final class EngagementGraph {
    private EngagementGraph() {}

    /**
     * Served responses, attributed feedback and ranking outcomes, from the two event streams
     * (predictions whole, or as {@code PredictionProjections.forAttribution}).
     */
    public static SingleOutputStreamOperator<EngagementSignal> signals(
            DataStream<PredictionEvent> predictions,
            DataStream<FeedbackEvent> feedback,
            MonitorConfig config) {
        return predictions
                .keyBy(p -> p.requestId)
                .connect(feedback.keyBy(f -> f.requestId))
                .transform(
                        "Attribute feedback to predictions (by request id)",
                        // One signal per feedback event crosses to the funnel: the compact form.
                        EngagementSignalSerializer.TYPE,
                        new FeedbackAttributionOperator(
                                new FeedbackAttribution(
                                        config.get(Settings.ATTRIBUTION_WINDOW).toMillis(),
                                        Relevance.fromConfig(config.get(Settings.RELEVANCE)))))
                .uid("feedback-attribution")
                .name("Attribute feedback to predictions (by request id)");
    }

    /**
     * The feedback that attribution found late ({@link FeedbackAttribution#LATE_FEEDBACK}), from
     * the operator {@link #signals} returns.
     */
    public static DataStream<SlicePartial<EngagementCounts>> lateAtAttribution(
            SingleOutputStreamOperator<EngagementSignal> signals) {
        return signals.getSideOutput(FeedbackAttribution.LATE_FEEDBACK);
    }

    /**
     * The engagement metric points of {@code signals}, with corrections for late feedback and the
     * LateFeedback count; {@code lateAccumulator} names the job accumulator of late feedback.
     */
    public static DataStream<MetricPoint> metrics(
            DataStream<EngagementSignal> signals, MonitorConfig config, String lateAccumulator) {
        return metrics(signals, null, config, lateAccumulator);
    }

    /**
     * As {@link #metrics(DataStream, MonitorConfig, String)}, with the feedback that attribution
     * found late ({@link #lateAtAttribution}; {@code null} for none) counted as LateFeedback too.
     */
    public static DataStream<MetricPoint> metrics(
            DataStream<EngagementSignal> signals,
            DataStream<SlicePartial<EngagementCounts>> lateAtAttribution,
            MonitorConfig config,
            String lateAccumulator) {
        SlicedMetricGraph.Stages<EngagementCounts> funnel =
                SlicedMetricGraph.build(signals, EngagementMetric.describe(config));
        DataStream<SlicePartial<EngagementCounts>> lateSignals = funnel.tooLate;
        if (lateAtAttribution != null) {
            lateSignals = lateSignals.union(lateAtAttribution);
        }
        DataStream<MetricPoint> late =
                lateSignals
                        .keyBy(s -> LateFeedbackCount.KEY, Types.STRING)
                        .process(
                                new LateFeedbackCount(
                                        config.get(Settings.METRIC_NAMESPACE),
                                        config.get(Settings.ML_METRIC_PERIOD).toMillis(),
                                        lateAccumulator))
                        .uid("late-feedback-counter")
                        .name("Count late feedback (after attribution, or after its window)");
        return funnel.report.union(late);
    }
}
