package io.recsys.monitor.job;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.graph.DataQualityGraph;
import io.recsys.monitor.job.graph.DriftGraph;
import io.recsys.monitor.job.graph.EngagementGraph;
import io.recsys.monitor.job.graph.RecommendationQualityGraph;
import io.recsys.monitor.job.graph.ServiceHealthGraph;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.PredictionEventSerializer;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.alarm.AlarmEngine;
import io.recsys.monitor.operators.ingest.FoldDimensions;
import io.recsys.monitor.operators.ingest.ProjectPredictions;
import io.recsys.monitor.operators.ingest.SplitInput;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The monitoring graph: cap the distinct model versions, segments and feature names ({@link
 * FoldDimensions}), split the input, attribute feedback to predictions, count the funnel per slice
 * and window, roll it up into the KPI metric points ({@link EngagementGraph}), sketch the
 * recommendations per slice and window ({@link RecommendationQualityGraph}), add the service health
 * ({@link ServiceHealthGraph}) and data quality ({@link DataQualityGraph}) metrics, and run the
 * alarms over them. It is built from injected sources and sinks so that the same graph runs
 * locally, on Managed Service for Apache Flink and in tests.
 *
 * <p>Each keyed consumer of the predictions receives its {@link ProjectPredictions projection}, not
 * the whole event, which is what the network would otherwise serialize once per consumer; data
 * quality counts predictions and feedback in the split's chain and sends only its counts.
 */
public final class MonitoringJob {
    /** Accumulator names of the replay summary. */
    public static final String METRICS_WRITTEN = "metrics-written";

    public static final String ALERTS_WRITTEN = "alerts-written";
    public static final String DEAD_LETTERS_WRITTEN = "dead-letters-written";

    /**
     * Late feedback: later than its window's allowed lateness (the attribution window), or arrived
     * after attribution had given up on it.
     */
    public static final String LATE_SIGNALS = "late-feedback";

    private MonitoringJob() {}

    /** The count of one accumulator, 0 when the job had no such operator. */
    public static long count(JobExecutionResult result, String name) {
        Object value = result.getAccumulatorResult(name);
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }

    /** Adds the monitoring graph to {@code env}. */
    public static void build(
            StreamExecutionEnvironment env,
            MonitorSources sources,
            MonitorSinks sinks,
            MonitorConfig config) {
        DataStream<InputRecord> parsed = sources.input(env);
        // Chained to the source, before anything is keyed, so that every operator sees the same
        // folded model version, segment and features; at the source's parallelism, so that each
        // subtask
        // admits values in the order of its own splits (the same order in every run).
        SingleOutputStreamOperator<InputRecord> input =
                parsed.process(
                                new FoldDimensions(
                                        config.get(Settings.MAX_MODEL_VERSIONS),
                                        config.get(Settings.MAX_SEGMENTS),
                                        config.get(Settings.MAX_FEATURE_NAMES),
                                        config.get(Settings.DIMENSION_IDLE_RELEASE).toMillis()),
                                UnchangedRecordTypeInfo.of(InputRecord.class))
                        .setParallelism(parsed.getParallelism())
                        .uid("fold-dimensions")
                        .name("Cap model versions, segments and feature names");
        SingleOutputStreamOperator<PredictionEvent> predictions =
                // The projection, chained, reads each prediction without changing it.
                input.process(new SplitInput(), PredictionEventSerializer.TYPE)
                        .uid("split-input")
                        .name("Split input: predictions, feedback, dead letters");
        DataStream<FeedbackEvent> feedback = predictions.getSideOutput(SplitInput.FEEDBACK);
        DataStream<DeadLetter> deadLetters = predictions.getSideOutput(SplitInput.DEAD_LETTERS);

        // Each keyed consumer gets only the fields it reads, so that a prediction is not
        // serialized whole once per consumer.
        SingleOutputStreamOperator<Void> projected =
                predictions
                        .process(new ProjectPredictions())
                        .uid("project-predictions")
                        .name("Project predictions per consumer");

        SingleOutputStreamOperator<EngagementSignal> signals =
                EngagementGraph.signals(
                        projected.getSideOutput(ProjectPredictions.ATTRIBUTION), feedback, config);
        DataStream<MetricPoint> engagement =
                EngagementGraph.metrics(
                        signals, EngagementGraph.lateAtAttribution(signals), config, LATE_SIGNALS);
        DataStream<MetricPoint> recommendationQuality =
                RecommendationQualityGraph.metrics(
                        projected.getSideOutput(ProjectPredictions.RECOMMENDATION_QUALITY),
                        config,
                        RecommendationQualityGraph.baseline(config));

        DriftGraph.Outputs drift =
                DriftGraph.build(projected.getSideOutput(ProjectPredictions.DRIFT), env, config);

        // Every metric stream of the job joins here, before the alarms and the sinks.
        DataStream<MetricPoint> allMetrics =
                engagement.union(
                        recommendationQuality,
                        drift.metrics,
                        ServiceHealthGraph.build(
                                projected.getSideOutput(ProjectPredictions.SERVICE_HEALTH), config),
                        DataQualityGraph.build(
                                // Counted in the split's chain: only counts cross the network.
                                predictions,
                                feedback,
                                deadLetters,
                                input.getSideOutput(FoldDimensions.FOLDED),
                                config));

        SingleOutputStreamOperator<Alert> alerts =
                AlarmEngine.attach(
                        allMetrics,
                        config.alarmCatalog(),
                        config.get(Settings.ALARM_REPEAT_INTERVAL).toMillis(),
                        config.eventTimeFollowsClock()
                                ? config.get(Settings.ALARM_WALL_CLOCK_GRACE).toMillis()
                                : 0);

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
        sinks.driftReports(drift.reports);
    }
}
