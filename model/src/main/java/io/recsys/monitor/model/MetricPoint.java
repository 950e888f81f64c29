package io.recsys.monitor.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One value of one metric for one window and one set of dimensions, shaped like a CloudWatch datum.
 * The timestamp is the window end; dimensions are sorted so that equal points compare equal and
 * print identically.
 *
 * <p>A point may carry the evidence behind its value, so that an alarm can tell a real change from
 * the noise of a small sample: {@link #samples}, the count of samples the value was computed from
 * (the trials of a proportion, the samples of a mean or a percentile), and for a mean {@link
 * #sampleStdDev}. From them several points of one period pool into one (successes and trials; n,
 * sum and sum of squares). A point without evidence (samples 0) is compared by value alone.
 */
public class MetricPoint {
    public String namespace;
    public String metric;

    @TypeInfo(DimensionsTypeInfo.Factory.class)
    public TreeMap<String, String> dimensions = new TreeMap<>();

    /** Window end, epoch milliseconds. */
    public long timestamp;

    public double value;

    /** CloudWatch unit name: Percent, None, Milliseconds, Count, Count/Second. */
    public String unit;

    public long windowStart;
    public long windowEnd;

    /**
     * Samples behind the value: trials of a proportion (e.g. impressions of a CTR), samples of a
     * mean or of a percentile; 0 when unknown or not applicable (counts, sums, drift statistics).
     */
    public long samples;

    /** Sample standard deviation (n - 1) of the samples of a mean; NaN when unknown or no mean. */
    public double sampleStdDev = Double.NaN;

    public MetricPoint() {}

    public MetricPoint(
            String namespace,
            String metric,
            Map<String, String> dimensions,
            double value,
            String unit,
            long windowStart,
            long windowEnd) {
        this.namespace = namespace;
        this.metric = metric;
        this.dimensions = new TreeMap<>(dimensions);
        this.value = value;
        this.unit = unit;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.timestamp = windowEnd;
    }

    /**
     * This point with its evidence: {@code samples} behind the value and, for a mean, their sample
     * standard deviation (NaN otherwise).
     */
    public MetricPoint withEvidence(long samples, double sampleStdDev) {
        this.samples = samples;
        this.sampleStdDev = sampleStdDev;
        return this;
    }

    /**
     * Metric name and dimensions, e.g. {@code CTR{ModelVersion=v1}}: the series this point is in.
     */
    public String seriesKey() {
        return metric + dimensions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricPoint)) {
            return false;
        }
        MetricPoint that = (MetricPoint) o;
        return timestamp == that.timestamp
                && Double.compare(value, that.value) == 0
                && windowStart == that.windowStart
                && windowEnd == that.windowEnd
                && samples == that.samples
                && Double.compare(sampleStdDev, that.sampleStdDev) == 0
                && Objects.equals(namespace, that.namespace)
                && Objects.equals(metric, that.metric)
                && Objects.equals(dimensions, that.dimensions)
                && Objects.equals(unit, that.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, metric, dimensions, timestamp, value);
    }

    @Override
    public String toString() {
        return seriesKey() + "@" + timestamp + "=" + value + " " + unit;
    }
}
