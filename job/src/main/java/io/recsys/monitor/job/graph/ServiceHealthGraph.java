package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.health.AvailabilityTracker;
import io.recsys.monitor.operators.health.HealthAggregate;
import io.recsys.monitor.operators.health.HealthMerge;
import io.recsys.monitor.operators.health.HealthRollUp;
import io.recsys.monitor.operators.health.HealthWindow;
import io.recsys.monitor.operators.health.ServiceHealthReport;
import io.recsys.monitor.operators.preaggregation.PartialMerge;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The service-health part of the graph: latency percentiles, error rate, errors by type, requests
 * per second and availability, per window of {@code metrics.health-period} and per slice ({@code
 * {}}, {@code {ModelVersion}}, {@code {ModelVersion, UserSegment}}). Responses are counted per
 * (model version, segment) into counters and a REQ latency sketch, which then merge into the
 * model-version and overall slices; no operator keeps a list of events. Each source subtask counts
 * its own responses before the shuffle ({@link SlicePreAggregation}), so the keyed window merges a
 * few partial counts per window instead of adding every response to its state.
 */
public final class ServiceHealthGraph {
    private static final TypeInformation<ServiceHealthCounts> COUNTS =
            TypeInformation.of(ServiceHealthCounts.class);

    private ServiceHealthGraph() {}

    /**
     * Adds the service-health operators over {@code predictions} (whole, or as {@code
     * PredictionProjections.forServiceHealth}); returns their metric points.
     */
    public static DataStream<MetricPoint> build(
            DataStream<PredictionEvent> predictions, MonitorConfig config) {
        Duration period = config.get(Settings.HEALTH_PERIOD);
        int maxErrorTypes = config.get(Settings.MAX_ERROR_TYPES);
        String namespace = config.get(Settings.METRIC_NAMESPACE);

        SlicePreAggregation<PredictionEvent, ServiceHealthCounts> preAggregation =
                new SlicePreAggregation<>(
                        new HealthAggregate(maxErrorTypes),
                        p -> TrafficSlice.key(p.modelVersion, p.userSegment),
                        WindowTime.recordTimestamp(),
                        period.toMillis(),
                        0,
                        COUNTS);
        SingleOutputStreamOperator<HealthTally> merged =
                predictions
                        .transform(
                                "Health counts per slice, before the shuffle",
                                preAggregation.partialType(),
                                preAggregation)
                        .uid("health-pre-aggregation")
                        .keyBy(p -> p.slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(period))
                        .aggregate(
                                new PartialMerge<>(new HealthAggregate(maxErrorTypes)),
                                new HealthWindow(),
                                COUNTS,
                                COUNTS,
                                TypeInformation.of(HealthTally.class))
                        .uid("health-per-slice")
                        .name("Health counts and latency sketch per model version and segment")
                        .flatMap(new HealthRollUp())
                        .uid("health-roll-up")
                        .name("Roll up health counts to model version and overall")
                        .keyBy(HealthRollUp::sliceKey)
                        .window(TumblingEventTimeWindows.of(period))
                        .reduce(new HealthMerge(maxErrorTypes))
                        .uid("health-merge")
                        .name("Merge health counts and latency sketches per slice");

        DataStream<MetricPoint> report =
                merged.flatMap(new ServiceHealthReport(namespace))
                        .uid("service-health-metrics")
                        .name(
                                "Service health metrics: latency p50/p95/p99, ErrorRate, Errors, RPS");
        DataStream<MetricPoint> availability =
                merged.keyBy(HealthRollUp::sliceKey)
                        .process(
                                new AvailabilityTracker(
                                        namespace,
                                        config.get(Settings.AVAILABILITY_SPAN),
                                        config.get(Settings.AVAILABILITY_ERROR_THRESHOLD)))
                        .uid("availability")
                        .name("Availability over the trailing health windows");
        return report.union(availability);
    }
}
