package io.recsys.monitor.job.graph;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.health.AvailabilityTracker;
import io.recsys.monitor.operators.health.HealthAggregate;
import io.recsys.monitor.operators.health.HealthRollUp;
import io.recsys.monitor.operators.health.HealthWindow;
import io.recsys.monitor.operators.health.LateResponseCount;
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
import org.apache.flink.util.OutputTag;

/**
 * The service-health part of the graph: latency percentiles, error rate, errors by type, requests
 * per second and availability, per window of {@code metrics.health-period} and per slice ({@code
 * {}}, {@code {ModelVersion}}, {@code {ModelVersion, UserSegment}}). Responses are counted per
 * (model version, segment) into counters and a REQ latency sketch, which then merge into the
 * model-version and overall slices; no operator keeps a list of events. Each source subtask counts
 * its own responses before the shuffle ({@link SlicePreAggregation}), so the keyed window merges a
 * few partial counts per window instead of adding every response to its state.
 *
 * <p>Late responses: the per-slice windows keep their counts for {@code
 * metrics.health-allowed-lateness} after they fire, so a response that arrives out of order (a
 * Kinesis resharding or a producer retry can delay one by minutes) re-fires its window with the
 * whole new count; {@link HealthRollUp#totals} replaces that slice's earlier contribution in every
 * coarser slice and emits the corrected window once per watermark advance, with the window's
 * timestamp; {@link AvailabilityTracker} replaces the window in its ring and emits the availability
 * of the windows it changed again. Later responses are counted by {@link LateResponseCount}.
 */
public final class ServiceHealthGraph {
    private static final TypeInformation<ServiceHealthCounts> COUNTS =
            TypeInformation.of(ServiceHealthCounts.class);

    private static final OutputTag<SlicePartial<ServiceHealthCounts>> LATE_RESPONSES_TAG =
            new OutputTag<>("late-health-responses", SlicePartial.typeInfo(COUNTS));

    /** The job accumulator of the responses later than the health windows' allowed lateness. */
    public static final String LATE_RESPONSES = "late-health-responses";

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

        Duration lateness = config.get(Settings.HEALTH_ALLOWED_LATENESS);

        SlicePreAggregation<PredictionEvent, ServiceHealthCounts> preAggregation =
                new SlicePreAggregation<>(
                        new HealthAggregate(maxErrorTypes),
                        p -> TrafficSlice.key(p.modelVersion, p.userSegment),
                        WindowTime.recordTimestamp(),
                        period.toMillis(),
                        lateness.toMillis(),
                        COUNTS);
        SingleOutputStreamOperator<HealthTally> perSlice =
                predictions
                        .transform(
                                "Health counts per slice, before the shuffle",
                                preAggregation.partialType(),
                                preAggregation)
                        .uid("health-pre-aggregation")
                        .keyBy(p -> p.slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(period))
                        .allowedLateness(lateness)
                        .sideOutputLateData(LATE_RESPONSES_TAG)
                        .aggregate(
                                new PartialMerge<>(new HealthAggregate(maxErrorTypes)),
                                new HealthWindow(),
                                COUNTS,
                                COUNTS,
                                TypeInformation.of(HealthTally.class))
                        .uid("health-per-slice")
                        .name("Health counts and latency sketch per model version and segment");

        DataStream<MetricPoint> late =
                perSlice.getSideOutput(LATE_RESPONSES_TAG)
                        .keyBy(p -> LateResponseCount.KEY, Types.STRING)
                        .process(
                                new LateResponseCount(namespace, period.toMillis(), LATE_RESPONSES))
                        .uid("late-health-responses")
                        .name("Count responses later than the health windows' allowed lateness");

        // A new uid: the reduce window of earlier versions ("health-merge") kept no corrections;
        // its state (at most the current minute) is not carried over.
        SingleOutputStreamOperator<HealthTally> merged =
                perSlice.flatMap(new HealthRollUp())
                        .uid("health-roll-up")
                        .name("Roll up health counts to model version and overall")
                        .keyBy(HealthRollUp::sliceKey)
                        .process(HealthRollUp.totals(lateness.toMillis(), maxErrorTypes))
                        .uid("health-totals")
                        .name("Health totals per slice (late responses replace a slice's counts)");

        DataStream<MetricPoint> report =
                merged.flatMap(new ServiceHealthReport(namespace))
                        .uid("service-health-metrics")
                        .name(
                                "Service health metrics: latency p50/p95/p99, ErrorRate, Errors, RPS");
        // Corrections may reach as many windows back as the allowed lateness spans.
        int history = (int) Math.min(10_080, ceilDiv(lateness.toMillis(), period.toMillis()));
        DataStream<MetricPoint> availability =
                merged.keyBy(HealthRollUp::sliceKey)
                        .process(
                                new AvailabilityTracker(
                                        namespace,
                                        config.get(Settings.AVAILABILITY_SPAN),
                                        config.get(Settings.AVAILABILITY_ERROR_THRESHOLD),
                                        config.get(Settings.AVAILABILITY_CONFIDENCE),
                                        history))
                        .uid("availability")
                        .name("Availability over the trailing health windows");
        return report.union(availability, late);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
