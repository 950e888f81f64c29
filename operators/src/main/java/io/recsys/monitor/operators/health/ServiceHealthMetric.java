package io.recsys.monitor.operators.health;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import io.recsys.monitor.operators.sliced.SlicedMetric;

/**
 * Service health as a sliced metric: responses counted per (model version, segment) into {@link
 * ServiceHealthCounts}, per window of {@code metrics.health-period}, rolled up to the model version
 * and overall, and reported by {@link ServiceHealthReport}. The name {@code health} gives the uids
 * of earlier releases ({@code health-pre-aggregation}, {@code health-per-slice}, {@code
 * health-roll-up}, {@code health-totals}).
 */
public final class ServiceHealthMetric {
    private ServiceHealthMetric() {}

    /** The description of service health under {@code config}. */
    @SuppressWarnings("deprecation") // HealthTally: only to drop what old savepoints kept
    public static SlicedMetric<PredictionEvent, ServiceHealthCounts> describe(
            MonitorConfig config) {
        int maxErrorTypes = config.get(Settings.MAX_ERROR_TYPES);
        return SlicedMetric.<PredictionEvent, ServiceHealthCounts>named("health", "Health counts")
                .slicedBy(p -> TrafficSlice.key(p.modelVersion, p.userSegment))
                .windowTime(WindowTime.recordTimestamp())
                .windows(
                        config.get(Settings.HEALTH_PERIOD),
                        config.get(Settings.HEALTH_ALLOWED_LATENESS))
                .rollUp(TrafficSlice.ROLL_UP)
                .accumulator(new ServiceHealthCounts.Codec(maxErrorTypes))
                .previousTally(HealthTally.class)
                .report(
                        new ServiceHealthReport(config.get(Settings.METRIC_NAMESPACE)),
                        "service-health-metrics",
                        "Service health metrics: latency p50/p95/p99, ErrorRate, Errors, RPS")
                .build();
    }
}
