package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
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
        Map<String, String> dims = TrafficSlice.dimensions(tally.slice);
        for (int i = 0; i < PERCENTILES.length; i++) {
            emit(
                    out,
                    tally,
                    PERCENTILE_METRICS[i],
                    dims,
                    ServiceHealthMetrics.latencyPercentile(c, PERCENTILES[i]),
                    "Milliseconds",
                    c.latency.count());
        }
        emit(
                out,
                tally,
                MetricNames.ERROR_RATE,
                dims,
                ServiceHealthMetrics.errorRate(c),
                "Percent",
                c.requests);
        long windowMillis = tally.windowEnd - tally.windowStart;
        emit(
                out,
                tally,
                MetricNames.THROUGHPUT,
                dims,
                OptionalDouble.of(ServiceHealthMetrics.requestsPerSecond(c, windowMillis)),
                "Count/Second");
        // All failed requests, what the guide's 5XXError counts; and then by type.
        emit(out, tally, MetricNames.ERRORS, dims, OptionalDouble.of(c.errors), "Count");
        for (Map.Entry<String, Long> e : c.errorsByType.entrySet()) {
            TreeMap<String, String> typed = new TreeMap<>(dims);
            typed.put(MetricNames.ERROR_TYPE, e.getKey());
            emit(out, tally, MetricNames.ERRORS, typed, OptionalDouble.of(e.getValue()), "Count");
        }
    }

    private void emit(
            Collector<MetricPoint> out,
            SliceTally<ServiceHealthCounts> tally,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit) {
        emit(out, tally, metric, dims, value, unit, 0);
    }

    private void emit(
            Collector<MetricPoint> out,
            SliceTally<ServiceHealthCounts> tally,
            String metric,
            Map<String, String> dims,
            OptionalDouble value,
            String unit,
            long samples) {
        if (value.isPresent()) {
            out.collect(
                    new MetricPoint(
                                    namespace,
                                    metric,
                                    dims,
                                    value.getAsDouble(),
                                    unit,
                                    tally.windowStart,
                                    tally.windowEnd)
                            .withEvidence(samples, Double.NaN));
        }
    }
}
