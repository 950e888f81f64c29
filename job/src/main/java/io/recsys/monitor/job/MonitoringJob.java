package io.recsys.monitor.job;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.graph.DataQualityGraph;
import io.recsys.monitor.job.graph.ServiceHealthGraph;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementTally;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.alarm.AlarmFunction;
import io.recsys.monitor.operators.engagement.CtrDenominator;
import io.recsys.monitor.operators.engagement.EngagementReport;
import io.recsys.monitor.operators.engagement.FeedbackAttribution;
import io.recsys.monitor.operators.engagement.FunnelCounter;
import io.recsys.monitor.operators.engagement.SignalTimeWindows;
import io.recsys.monitor.operators.engagement.SliceRollUp;
import io.recsys.monitor.operators.engagement.TallyMerge;
import io.recsys.monitor.operators.engagement.TallyWindow;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.ingest.SplitInput;
import java.time.Duration;
import java.util.Collections;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The monitoring graph: split the input, attribute feedback to predictions, count the funnel per
 * slice and window, roll it up into the KPI metric points, add the service health ({@link
 * ServiceHealthGraph}) and data quality ({@link DataQualityGraph}) metrics, and run the alarms over
 * them. It is built from injected sources and sinks so that the same graph runs locally, on Managed
 * Service for Apache Flink and in tests.
 */
public final class MonitoringJob {
    /** Accumulator names of the replay summary. */
    public static final String METRICS_WRITTEN = "metrics-written";

    public static final String ALERTS_WRITTEN = "alerts-written";
    public static final String DEAD_LETTERS_WRITTEN = "dead-letters-written";
    public static final String LATE_SIGNALS = "late-feedback";

    private static final OutputTag<EngagementSignal> LATE_SIGNALS_TAG =
            new OutputTag<EngagementSignal>("late-engagement-signals") {
                private static final long serialVersionUID = 1L;
            };

    private MonitoringJob() {}

    /** Adds the monitoring graph to {@code env}. */
    public static void build(
            StreamExecutionEnvironment env,
            MonitorSources sources,
            MonitorSinks sinks,
            MonitorConfig config) {
        Duration period = config.get(Settings.ML_METRIC_PERIOD);

        DataStream<InputRecord> input = sources.input(env);
        SingleOutputStreamOperator<PredictionEvent> predictions =
                input.process(new SplitInput())
                        .uid("split-input")
                        .name("Split input: predictions, feedback, dead letters");
        DataStream<FeedbackEvent> feedback = predictions.getSideOutput(SplitInput.FEEDBACK);
        DataStream<DeadLetter> deadLetters = predictions.getSideOutput(SplitInput.DEAD_LETTERS);

        SingleOutputStreamOperator<EngagementSignal> signals =
                predictions
                        .keyBy(p -> p.requestId)
                        .connect(feedback.keyBy(f -> f.requestId))
                        .process(
                                new FeedbackAttribution(
                                        config.get(Settings.ATTRIBUTION_WINDOW).toMillis()))
                        .uid("feedback-attribution")
                        .name("Attribute feedback to predictions (by request id)");

        SingleOutputStreamOperator<EngagementTally> tallies =
                signals.keyBy(s -> TrafficSlice.key(s.modelVersion, s.userSegment))
                        .window(SignalTimeWindows.of(period))
                        .sideOutputLateData(LATE_SIGNALS_TAG)
                        .aggregate(new FunnelCounter(), new TallyWindow())
                        .uid("funnel-per-slice")
                        .name("Funnel counts per model version and segment");
        tallies.getSideOutput(LATE_SIGNALS_TAG)
                .flatMap(new CountLateSignals())
                .uid("late-feedback-counter")
                .name("Count feedback later than its window")
                .sinkTo(new DiscardingSink<>())
                .uid("late-feedback-discard")
                .name("Late feedback (counted)");

        SingleOutputStreamOperator<MetricPoint> metrics =
                tallies.flatMap(new SliceRollUp())
                        .uid("slice-roll-up")
                        .name("Roll up to model version and overall")
                        .keyBy(SliceRollUp::sliceKey)
                        .window(TumblingEventTimeWindows.of(period))
                        .reduce(
                                new TallyMerge(),
                                new EngagementReport(
                                        config.get(Settings.METRIC_NAMESPACE),
                                        CtrDenominator.fromConfig(
                                                config.get(Settings.CTR_DENOMINATOR))))
                        .uid("engagement-metrics")
                        .name("Engagement metrics: CTR, ConversionRate, AverageOrderValue");

        // Every metric stream of the job joins here, before the alarms and the sinks.
        DataStream<MetricPoint> allMetrics =
                metrics.union(
                        ServiceHealthGraph.build(predictions, config),
                        DataQualityGraph.build(predictions, feedback, deadLetters, config));

        SingleOutputStreamOperator<Alert> alerts =
                allMetrics
                        .keyBy(MetricPoint::seriesKey)
                        .process(new AlarmFunction(Collections.singletonList(config.lowCtrAlarm())))
                        .uid("alarm-engine")
                        .name("Alarm engine");

        sinks.metrics(
                allMetrics
                        .map(new CountRecords<MetricPoint>(METRICS_WRITTEN))
                        .uid("count-metrics")
                        .name("Count metric points"));
        sinks.alerts(
                alerts.map(new CountRecords<Alert>(ALERTS_WRITTEN))
                        .uid("count-alerts")
                        .name("Count alerts"));
        sinks.deadLetters(
                deadLetters
                        .map(new CountRecords<DeadLetter>(DEAD_LETTERS_WRITTEN))
                        .uid("count-dead-letters")
                        .name("Count dead letters"));
    }

    /** Counts engagement signals that arrived after their window had fired. */
    static final class CountLateSignals extends RichFlatMapFunction<EngagementSignal, Void> {
        private static final long serialVersionUID = 1L;
        private transient Counter late;
        private transient LongCounter lateTotal;

        @Override
        public void open(Configuration parameters) {
            late =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("kinesisanalytics")
                            .counter("lateFeedback");
            lateTotal = new LongCounter();
            getRuntimeContext().addAccumulator(LATE_SIGNALS, lateTotal);
        }

        @Override
        public void flatMap(EngagementSignal signal, Collector<Void> out) {
            late.inc();
            lateTotal.add(1);
        }
    }
}
