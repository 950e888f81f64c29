package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.sinks.aws.EntryStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The datums buffered at a checkpoint, so that a restored job sends them. Version 1: namespace,
 * metric name, dimensions, value, unit, timestamp, storage resolution.
 */
public class MetricDatumEntrySerializer extends EntryStateSerializer<MetricDatumEntry> {

    public MetricDatumEntrySerializer() {
        super("CloudWatch sink state", 1);
    }

    @Override
    protected void write(MetricDatumEntry entry, DataOutputStream out) throws IOException {
        writeString(out, entry.getNamespace());
        writeString(out, entry.getMetricName());
        writeStrings(out, entry.getDimensions());
        out.writeDouble(entry.getValue());
        writeString(out, entry.getUnit());
        out.writeLong(entry.getTimestampMillis());
        out.writeInt(entry.getStorageResolution());
    }

    @Override
    protected MetricDatumEntry read(DataInputStream in) throws IOException {
        String namespace = readString(in);
        String metricName = readString(in);
        Map<String, String> dimensions = readStrings(in);
        if (dimensions == null) {
            throw corrupt("a datum without dimensions");
        }
        double value = in.readDouble();
        String unit = readString(in);
        long timestamp = in.readLong();
        int resolution = in.readInt();
        return new MetricDatumEntry(
                namespace, metricName, dimensions, value, unit, timestamp, resolution);
    }
}
