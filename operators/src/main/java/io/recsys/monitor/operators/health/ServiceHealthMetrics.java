package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.ServiceHealthCounts;
import java.util.OptionalDouble;

/**
 * The service-health KPIs of the operations guide's API table, computed from the counts of one
 * window: latency percentiles, error rate and throughput. A value without data (no requests) is
 * absent rather than 0, so that an empty window never looks like a perfect one.
 */
public final class ServiceHealthMetrics {
    private ServiceHealthMetrics() {}

    /** Failed responses per response in percent. */
    public static OptionalDouble errorRate(ServiceHealthCounts c) {
        return c.requests == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * c.errors / c.requests);
    }

    /** Responses per second of the window. */
    public static double requestsPerSecond(ServiceHealthCounts c, long windowMillis) {
        return c.requests * 1000.0 / windowMillis;
    }

    /** The latency in ms at {@code rank} (0.5 for p50), from the window's sketch. */
    public static OptionalDouble latencyPercentile(ServiceHealthCounts c, double rank) {
        return c.latency.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(c.latency.quantile(rank));
    }

    /**
     * Whether a window counts towards availability: it had traffic and its error rate stayed under
     * {@code maxErrorRatePercent}.
     */
    public static boolean isAvailable(ServiceHealthCounts c, double maxErrorRatePercent) {
        OptionalDouble rate = errorRate(c);
        return rate.isPresent() && rate.getAsDouble() < maxErrorRatePercent;
    }
}
