package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceTally;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.flink.util.Collector;

/**
 * Where a family's report puts the metric points of one slice and window: the report names each
 * metric with its value, unit and evidence, and this adds the namespace, the slice's dimensions and
 * the window, and leaves out a value the window does not define (an empty optional, such as a
 * conversion rate without clicks), so that no report writes a point of its own.
 */
public final class WindowPoints {
    private final Collector<MetricPoint> out;
    private final String namespace;
    private final Map<String, String> dimensions;
    private final long windowStart;
    private final long windowEnd;

    private WindowPoints(
            Collector<MetricPoint> out,
            String namespace,
            Map<String, String> dimensions,
            long windowStart,
            long windowEnd) {
        this.out = out;
        this.namespace = namespace;
        this.dimensions = dimensions;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** The points of {@code tally}'s window, with {@code dimensions}, into {@code out}. */
    public static WindowPoints of(
            SliceTally<?> tally,
            Map<String, String> dimensions,
            String namespace,
            Collector<MetricPoint> out) {
        return new WindowPoints(out, namespace, dimensions, tally.windowStart, tally.windowEnd);
    }

    /** The points of the same window with one dimension more (a feature, an error type). */
    public WindowPoints with(String dimension, String value) {
        TreeMap<String, String> more = new TreeMap<>(dimensions);
        more.put(dimension, value);
        return new WindowPoints(out, namespace, more, windowStart, windowEnd);
    }

    public long windowMillis() {
        return windowEnd - windowStart;
    }

    /** A value that needs no evidence: a count, a total, a ratio of whole populations. */
    public void emit(String metric, double value, String unit) {
        emit(metric, OptionalDouble.of(value), unit, 0, Double.NaN);
    }

    public void emit(String metric, OptionalDouble value, String unit) {
        emit(metric, value, unit, 0, Double.NaN);
    }

    /** A value estimated from {@code samples}, which the alarms weigh (see MetricPoint#samples). */
    public void emit(String metric, OptionalDouble value, String unit, long samples) {
        emit(metric, value, unit, samples, Double.NaN);
    }

    /** A mean of {@code samples} values with their standard deviation. */
    public void emit(
            String metric, OptionalDouble value, String unit, long samples, double sampleStdDev) {
        if (value.isPresent()) {
            out.collect(
                    new MetricPoint(
                                    namespace,
                                    metric,
                                    dimensions,
                                    value.getAsDouble(),
                                    unit,
                                    windowStart,
                                    windowEnd)
                            .withEvidence(samples, sampleStdDev));
        }
    }
}
