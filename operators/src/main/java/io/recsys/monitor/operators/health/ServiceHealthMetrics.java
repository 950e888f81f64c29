package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.alarm.ConfidenceInterval;
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
     * Whether a window counts towards availability: it had traffic, and its error rate is not shown
     * to be at or above {@code maxErrorRatePercent}. At a {@code confidence} in (0, 1) the window
     * is unavailable only when the lower bound of the Wilson interval of its error rate reaches the
     * threshold, so that 3 errors in a minute of 60 requests (5 %, lower bound 1.7 %) do not count
     * as an outage while 7 (11.7 %, lower bound 5.8 %) do; at 1,000 requests a second the interval
     * is a few hundredths of a point wide and the rule is the value's. At confidence 0 the value
     * alone decides.
     */
    public static boolean isAvailable(
            ServiceHealthCounts c, double maxErrorRatePercent, double confidence) {
        OptionalDouble rate = errorRate(c);
        if (rate.isEmpty()) {
            return false;
        }
        if (confidence == 0) {
            return rate.getAsDouble() < maxErrorRatePercent;
        }
        double lowest = ConfidenceInterval.wilson(c.errors, c.requests, confidence).low() * 100;
        return lowest < maxErrorRatePercent;
    }
}
