package io.recsys.monitor.sinks.deadletter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the dead letters buffered in a {@link DeadLetterSink} writer into checkpoints and reads
 * them back on restore, so that dead letters accepted before a failure are still delivered after
 * it.
 *
 * <p>Strings are written as a length and UTF-8 bytes, not with {@code writeUTF}, whose 64 KiB limit
 * is below the services' entry sizes. The format is version {@value #VERSION}; a change to it needs
 * a new version and a reader of the old one.
 */
public final class DeadLetterEntryStateSerializer
        extends AsyncSinkWriterStateSerializer<DeadLetterEntry> {

    static final int VERSION = 1;

    // A length that marks a null string, so that null and "" survive a round trip.
    private static final int NULL = -1;

    @Override
    protected void serializeRequestToStream(DeadLetterEntry entry, DataOutputStream out)
            throws IOException {
        writeString(out, entry.entryId);
        writeString(out, entry.body);
        writeString(out, entry.partitionKey);
        Map<String, String> attributes = entry.attributes;
        if (attributes == null) {
            out.writeInt(NULL);
        } else {
            out.writeInt(attributes.size());
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                writeString(out, a.getKey());
                writeString(out, a.getValue());
            }
        }
    }

    @Override
    protected DeadLetterEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        DeadLetterEntry entry = new DeadLetterEntry();
        entry.entryId = readString(in);
        entry.body = readString(in);
        entry.partitionKey = readString(in);
        int attributes = in.readInt();
        if (attributes == NULL) {
            entry.attributes = null;
        } else if (attributes < 0) {
            throw new IOException("Corrupt dead-letter sink state: " + attributes + " attributes");
        } else {
            TreeMap<String, String> map = new TreeMap<>();
            for (int i = 0; i < attributes; i++) {
                map.put(readString(in), readString(in));
            }
            entry.attributes = map;
        }
        return entry;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(NULL);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == NULL) {
            return null;
        }
        if (length < 0) {
            throw new IOException("Corrupt dead-letter sink state: string of length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
