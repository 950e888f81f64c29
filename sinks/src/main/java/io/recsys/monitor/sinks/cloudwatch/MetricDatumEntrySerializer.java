package io.recsys.monitor.sinks.cloudwatch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the datums buffered at a checkpoint, so that a restored job sends them. Strings are
 * length-prefixed UTF-8 rather than {@code writeUTF}: a datum waiting to be dead-lettered may hold
 * a string longer than {@code writeUTF}'s 64 KB, and it must not fail the checkpoint.
 *
 * <p>Version 1: namespace, metric name, dimension count, (name, value) pairs, value, unit,
 * timestamp, storage resolution.
 */
public class MetricDatumEntrySerializer extends AsyncSinkWriterStateSerializer<MetricDatumEntry> {
    private static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(MetricDatumEntry entry, DataOutputStream out)
            throws IOException {
        writeString(out, entry.getNamespace());
        writeString(out, entry.getMetricName());
        out.writeInt(entry.getDimensions().size());
        for (java.util.Map.Entry<String, String> d : entry.getDimensions().entrySet()) {
            writeString(out, d.getKey());
            writeString(out, d.getValue());
        }
        out.writeDouble(entry.getValue());
        writeString(out, entry.getUnit());
        out.writeLong(entry.getTimestampMillis());
        out.writeInt(entry.getStorageResolution());
    }

    @Override
    protected MetricDatumEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        String namespace = readString(in);
        String metricName = readString(in);
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Corrupt CloudWatch sink state: " + count + " dimensions");
        }
        TreeMap<String, String> dimensions = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            dimensions.put(readString(in), readString(in));
        }
        double value = in.readDouble();
        String unit = readString(in);
        long timestamp = in.readLong();
        int resolution = in.readInt();
        return new MetricDatumEntry(
                namespace, metricName, dimensions, value, unit, timestamp, resolution);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
