package io.recsys.monitor.sinks.cloudwatch;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * One CloudWatch metric datum waiting in the sink's buffer, with the namespace of its request. The
 * SDK's {@link MetricDatum} is not serializable, and buffered entries are checkpointed, so the
 * entry holds plain fields and builds the datum only when a request is sent.
 */
public final class MetricDatumEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Bytes of one datum's fixed keys in a query-protocol body (MetricData.member.N.MetricName=,
     * .Value=, .Timestamp=..., .Unit=, .StorageResolution=, separators) with their values, rounded
     * up.
     */
    private static final int FIXED_BYTES = 320;

    /**
     * Bytes of one dimension's two keys (MetricData.member.N.Dimensions.member.M.Name=, .Value=).
     */
    private static final int DIMENSION_KEY_BYTES = 2 * 52;

    /**
     * The {@link #estimatedSizeInBytes()} of the largest datum CloudWatch accepts: a 255-character
     * name and 30 dimensions of 255-character names and 1024-character values, every character
     * percent-encoded (CloudWatch allows only ASCII there, at most 3 encoded bytes each).
     */
    public static final long MAX_VALID_SIZE_BYTES =
            FIXED_BYTES
                    + 3L * CloudWatchLimits.MAX_NAME_LENGTH
                    + CloudWatchLimits.MAX_DIMENSIONS
                            * (DIMENSION_KEY_BYTES
                                    + 3L * CloudWatchLimits.MAX_NAME_LENGTH
                                    + 3L * CloudWatchLimits.MAX_DIMENSION_VALUE_LENGTH);

    private final String namespace;
    private final String metricName;
    private final TreeMap<String, String> dimensions;
    private final double value;
    private final String unit;
    private final long timestampMillis;
    private final int storageResolution;

    public MetricDatumEntry(
            String namespace,
            String metricName,
            Map<String, String> dimensions,
            double value,
            String unit,
            long timestampMillis,
            int storageResolution) {
        this.namespace = namespace;
        this.metricName = metricName;
        this.dimensions = new TreeMap<>(dimensions);
        this.value = value;
        this.unit = unit;
        this.timestampMillis = timestampMillis;
        this.storageResolution = storageResolution;
    }

    public String getNamespace() {
        return namespace;
    }

    public String getMetricName() {
        return metricName;
    }

    /** Dimensions by name, sorted. */
    public Map<String, String> getDimensions() {
        return Collections.unmodifiableMap(dimensions);
    }

    public double getValue() {
        return value;
    }

    /** A {@link StandardUnit} value, e.g. {@code Count/Second}. */
    public String getUnit() {
        return unit;
    }

    public long getTimestampMillis() {
        return timestampMillis;
    }

    /** 60 (standard) or 1 (high resolution). */
    public int getStorageResolution() {
        return storageResolution;
    }

    /** The SDK datum of this entry. */
    public MetricDatum toDatum() {
        List<Dimension> dims = new ArrayList<>(dimensions.size());
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            dims.add(Dimension.builder().name(d.getKey()).value(d.getValue()).build());
        }
        return MetricDatum.builder()
                .metricName(metricName)
                .dimensions(dims)
                .value(value)
                .unit(unit == null ? StandardUnit.NONE.toString() : unit)
                .timestamp(Instant.ofEpochMilli(timestampMillis))
                .storageResolution(storageResolution)
                .build();
    }

    /**
     * An upper estimate of the bytes this datum adds to a PutMetricData request body (AWS query
     * protocol, form-encoded). The namespace is not counted: it is sent once per request and
     * covered by {@link CloudWatchLimits#REQUEST_OVERHEAD_BYTES}.
     */
    public long estimatedSizeInBytes() {
        long size = FIXED_BYTES + CloudWatchLimits.formEncodedLength(metricName);
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            size +=
                    DIMENSION_KEY_BYTES
                            + CloudWatchLimits.formEncodedLength(d.getKey())
                            + CloudWatchLimits.formEncodedLength(d.getValue());
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricDatumEntry)) {
            return false;
        }
        MetricDatumEntry that = (MetricDatumEntry) o;
        return Double.compare(value, that.value) == 0
                && timestampMillis == that.timestampMillis
                && storageResolution == that.storageResolution
                && Objects.equals(namespace, that.namespace)
                && Objects.equals(metricName, that.metricName)
                && Objects.equals(dimensions, that.dimensions)
                && Objects.equals(unit, that.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                namespace, metricName, dimensions, value, unit, timestampMillis, storageResolution);
    }

    /** E.g. {@code RecSys/Monitor CTR{ModelVersion=v1}@2026-01-01T01:00:00Z=2.5 Percent (60s)}. */
    @Override
    public String toString() {
        return namespace
                + " "
                + metricName
                + dimensions
                + "@"
                + Instant.ofEpochMilli(timestampMillis)
                + "="
                + value
                + " "
                + unit
                + " ("
                + storageResolution
                + "s)";
    }
}
