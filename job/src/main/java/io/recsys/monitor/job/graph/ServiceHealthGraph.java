package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.health.AvailabilityTracker;
import io.recsys.monitor.operators.health.LateResponseCount;
import io.recsys.monitor.operators.health.ServiceHealthMetric;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The service-health part of the graph: latency percentiles, error rate, errors by type, requests
 * per second and availability, per window of {@code metrics.health-period} and per slice ({@code
 * {}}, {@code {ModelVersion}}, {@code {ModelVersion, UserSegment}}). The counting, the roll-up and
 * the late corrections are the sliced metric {@link ServiceHealthMetric} built by {@link
 * SlicedMetricGraph}; this adds what only health has.
 *
 * <p>Late responses: the per-slice windows keep their counts for {@code
 * metrics.health-allowed-lateness} after they fire, so a response that arrives out of order (a
 * Kinesis resharding or a producer retry can delay one by minutes) re-fires its window with the
 * whole new count; the totals replace that slice's earlier contribution in every coarser slice and
 * emit the corrected window once per watermark advance; {@link AvailabilityTracker} replaces the
 * window in its ring and emits the availability of the windows it changed again. Later responses
 * are counted by {@link LateResponseCount}.
 */
public final class ServiceHealthGraph {
    /** The job accumulator of the responses later than the health windows' allowed lateness. */
    public static final String LATE_RESPONSES = "late-health-responses";

    private ServiceHealthGraph() {}

    /**
     * Adds the service-health operators over {@code predictions} (whole, or as {@code
     * PredictionProjections.forServiceHealth}); returns their metric points.
     */
    public static DataStream<MetricPoint> build(
            DataStream<PredictionEvent> predictions, MonitorConfig config) {
        SlicedMetric<PredictionEvent, ServiceHealthCounts> health =
                ServiceHealthMetric.describe(config);
        SlicedMetricGraph.Stages<ServiceHealthCounts> stages =
                SlicedMetricGraph.build(predictions, health);
        String namespace = config.get(Settings.METRIC_NAMESPACE);
        Duration period = health.period();

        DataStream<MetricPoint> late =
                stages.tooLate
                        .keyBy(p -> LateResponseCount.KEY, Types.STRING)
                        .process(
                                new LateResponseCount(namespace, period.toMillis(), LATE_RESPONSES))
                        .uid("late-health-responses")
                        .name("Count responses later than the health windows' allowed lateness");

        // Corrections may reach as many windows back as the allowed lateness spans.
        int history =
                (int)
                        Math.min(
                                10_080,
                                ceilDiv(health.allowedLateness().toMillis(), period.toMillis()));
        DataStream<MetricPoint> availability =
                stages.totals
                        .keyBy(t -> t.slice, Types.STRING)
                        .process(
                                new AvailabilityTracker(
                                        namespace,
                                        config.get(Settings.AVAILABILITY_SPAN),
                                        config.get(Settings.AVAILABILITY_ERROR_THRESHOLD),
                                        config.get(Settings.AVAILABILITY_CONFIDENCE),
                                        history))
                        .uid("availability")
                        .name("Availability over the trailing health windows");
        return stages.report.union(availability, late);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
