package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignalSerializer;
import io.recsys.monitor.model.EngagementTally;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.operators.engagement.CtrDenominator;
import io.recsys.monitor.operators.engagement.EngagementReport;
import io.recsys.monitor.operators.engagement.FeedbackAttribution;
import io.recsys.monitor.operators.engagement.FunnelCounter;
import io.recsys.monitor.operators.engagement.LateFeedbackCount;
import io.recsys.monitor.operators.engagement.Relevance;
import io.recsys.monitor.operators.engagement.SliceRollUp;
import io.recsys.monitor.operators.engagement.SliceTotals;
import io.recsys.monitor.operators.engagement.TallyWindow;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.preaggregation.PartialMerge;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The engagement part of the graph: attribute feedback to predictions, count the funnel per (model
 * version, segment) and window, roll the counts up to model version and overall, and report the
 * engagement metrics. A signal belongs to the window of its own event time (a click that waited for
 * its prediction is emitted under the prediction's time), and each attribution subtask counts its
 * signals per slice and window before the shuffle ({@link SlicePreAggregation}).
 *
 * <p>Late feedback: the funnel windows keep their counters for the attribution window after they
 * fire (allowed lateness), so feedback attributed late re-fires its window with the whole new count
 * (the late signals a subtask met between two watermarks arrive as one partial count); {@link
 * SliceTotals} replaces that slice's earlier contribution in every coarser slice and the corrected
 * metrics are emitted again with the window's timestamp, once per watermark advance. Later signals
 * are counted by {@link LateFeedbackCount}, and so is feedback that arrived after attribution had
 * given up on it ({@link FeedbackAttribution}).
 */
public final class EngagementGraph {
    private static final TypeInformation<EngagementCounts> COUNTS =
            TypeInformation.of(EngagementCounts.class);

    private static final OutputTag<SlicePartial<EngagementCounts>> LATE_SIGNALS_TAG =
            new OutputTag<>("late-engagement-signals", SlicePartial.typeInfo(COUNTS));

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
                .process(
                        new FeedbackAttribution(
                                config.get(Settings.ATTRIBUTION_WINDOW).toMillis(),
                                Relevance.fromConfig(config.get(Settings.RELEVANCE))),
                        // One signal per feedback event crosses to the funnel: the compact form.
                        EngagementSignalSerializer.TYPE)
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
        Duration period = config.get(Settings.ML_METRIC_PERIOD);
        Duration lateness = config.get(Settings.ATTRIBUTION_WINDOW);
        String namespace = config.get(Settings.METRIC_NAMESPACE);

        // Counted per slice where attribution emits the signals, then merged per slice.
        SlicePreAggregation<EngagementSignal, EngagementCounts> preAggregation =
                new SlicePreAggregation<>(
                        new FunnelCounter(),
                        s -> TrafficSlice.key(s.modelVersion, s.userSegment),
                        // A click belongs to the window in which it happened, even when it
                        // waited for its prediction and is emitted under the prediction's time.
                        (s, recordTimestamp) -> s.eventTime,
                        period.toMillis(),
                        lateness.toMillis(),
                        COUNTS);
        SingleOutputStreamOperator<EngagementTally> tallies =
                signals.transform(
                                "Funnel counts per slice, before the shuffle",
                                preAggregation.partialType(),
                                preAggregation)
                        .uid("funnel-pre-aggregation")
                        .keyBy(p -> p.slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(period))
                        .allowedLateness(lateness)
                        .sideOutputLateData(LATE_SIGNALS_TAG)
                        .aggregate(
                                new PartialMerge<>(new FunnelCounter()),
                                new TallyWindow(),
                                COUNTS,
                                COUNTS,
                                TypeInformation.of(EngagementTally.class))
                        .uid("funnel-per-slice")
                        .name("Funnel counts per model version and segment");

        DataStream<SlicePartial<EngagementCounts>> lateSignals =
                tallies.getSideOutput(LATE_SIGNALS_TAG);
        if (lateAtAttribution != null) {
            lateSignals = lateSignals.union(lateAtAttribution);
        }
        DataStream<MetricPoint> late =
                lateSignals
                        .keyBy(s -> LateFeedbackCount.KEY, Types.STRING)
                        .process(
                                new LateFeedbackCount(
                                        namespace, period.toMillis(), lateAccumulator))
                        .uid("late-feedback-counter")
                        .name("Count late feedback (after attribution, or after its window)");

        DataStream<MetricPoint> engagement =
                tallies.flatMap(new SliceRollUp())
                        .uid("slice-roll-up")
                        .name("Roll up to model version and overall")
                        .keyBy(SliceRollUp::sliceKey)
                        .process(SliceTotals.engagement(lateness.toMillis()))
                        .uid("slice-totals")
                        .name("Slice totals per window (late feedback replaces a slice's count)")
                        .flatMap(
                                new EngagementReport(
                                        namespace,
                                        CtrDenominator.fromConfig(
                                                config.get(Settings.CTR_DENOMINATOR))))
                        .uid("engagement-metrics")
                        .name("Engagement metrics (CTR, CTRAtRank, conversion, revenue, ranking)");
        return engagement.union(late);
    }
}
