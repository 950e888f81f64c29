package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.sliced.WindowPoints;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the merged health counts of a slice and window into metric points: LatencyP50/P95/P99
 * (Milliseconds), ErrorRate (Percent), Errors in all and per ErrorType (Count) and
 * RequestsPerSecond (Count/Second), with the slice's dimensions. The percentiles carry the
 * latencies they were read from, ErrorRate the requests it divides by, as their samples.
 */
public class ServiceHealthReport
        implements FlatMapFunction<SliceTally<ServiceHealthCounts>, MetricPoint> {
    private static final long serialVersionUID = 1L;

    private static final double[] PERCENTILES = {0.50, 0.95, 0.99};
    private static final String[] PERCENTILE_METRICS = {
        MetricNames.LATENCY_P50, MetricNames.LATENCY_P95, MetricNames.LATENCY_P99
    };

    private final String namespace;

    public ServiceHealthReport(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void flatMap(SliceTally<ServiceHealthCounts> tally, Collector<MetricPoint> out) {
        ServiceHealthCounts c = tally.accumulator;
        WindowPoints points =
                WindowPoints.of(tally, TrafficSlice.dimensions(tally.slice), namespace, out);
        for (int i = 0; i < PERCENTILES.length; i++) {
            points.emit(
                    PERCENTILE_METRICS[i],
                    ServiceHealthMetrics.latencyPercentile(c, PERCENTILES[i]),
                    "Milliseconds",
                    c.latency.count());
        }
        points.emit(
                MetricNames.ERROR_RATE, ServiceHealthMetrics.errorRate(c), "Percent", c.requests);
        points.emit(
                MetricNames.THROUGHPUT,
                ServiceHealthMetrics.requestsPerSecond(c, points.windowMillis()),
                "Count/Second");
        // All failed requests, what the guide's 5XXError counts; and then by type.
        points.emit(MetricNames.ERRORS, c.errors, "Count");
        for (Map.Entry<String, Long> e : c.errorsByType.entrySet()) {
            points.with(MetricNames.ERROR_TYPE, e.getKey())
                    .emit(MetricNames.ERRORS, e.getValue(), "Count");
        }
    }
}
