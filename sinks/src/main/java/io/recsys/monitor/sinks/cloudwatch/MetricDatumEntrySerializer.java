package io.recsys.monitor.sinks.cloudwatch;

import static io.recsys.monitor.sinks.aws.EntryStateFields.readString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.readStrings;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeString;
import static io.recsys.monitor.sinks.aws.EntryStateFields.writeStrings;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the datums buffered at a checkpoint, so that a restored job sends them. Version 1:
 * namespace, metric name, dimensions, value, unit, timestamp, storage resolution (strings and maps
 * as {@link io.recsys.monitor.sinks.aws.EntryStateFields} writes them: a datum waiting to be
 * dead-lettered may hold a string longer than {@code writeUTF}'s 64 KB, and it must not fail the
 * checkpoint).
 */
public class MetricDatumEntrySerializer extends AsyncSinkWriterStateSerializer<MetricDatumEntry> {
    private static final int VERSION = 1;

    private static final String STATE = "CloudWatch sink state";

    @Override
    protected void serializeRequestToStream(MetricDatumEntry entry, DataOutputStream out)
            throws IOException {
        writeString(out, entry.getNamespace());
        writeString(out, entry.getMetricName());
        writeStrings(out, entry.getDimensions());
        out.writeDouble(entry.getValue());
        writeString(out, entry.getUnit());
        out.writeLong(entry.getTimestampMillis());
        out.writeInt(entry.getStorageResolution());
    }

    @Override
    protected MetricDatumEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        String namespace = readString(in, STATE);
        String metricName = readString(in, STATE);
        Map<String, String> dimensions = readStrings(in, STATE);
        if (dimensions == null) {
            throw new IOException("Corrupt " + STATE + ": a datum without dimensions");
        }
        double value = in.readDouble();
        String unit = readString(in, STATE);
        long timestamp = in.readLong();
        int resolution = in.readInt();
        return new MetricDatumEntry(
                namespace, metricName, dimensions, value, unit, timestamp, resolution);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
