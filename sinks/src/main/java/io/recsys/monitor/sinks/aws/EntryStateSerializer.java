package io.recsys.monitor.sinks.aws;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes the entries an AWS sink's writer buffered into checkpoints and reads them back on restore,
 * so that entries accepted before a failure are still sent after it. A sink supplies only its
 * entry's fields, in order ({@link #write}, {@link #read}); this class keeps the version and the
 * field forms: a string is its length and UTF-8 bytes, not {@code writeUTF}, whose 64 KiB limit is
 * below the services' entry sizes (an entry too large for its service must still checkpoint, to be
 * dead-lettered); a map of strings is its size and pairs. Length -1 stands for null, so that null
 * and "" survive a round trip. A change to these forms changes every sink's state format and needs
 * a new version of each, with a reader of the old one.
 *
 * @param <T> the request entry
 */
public abstract class EntryStateSerializer<T extends Serializable>
        extends AsyncSinkWriterStateSerializer<T> {
    private static final int NULL = -1;

    private final String state;
    private final int version;

    /**
     * @param state what the state belongs to, for the error on corrupt bytes ("SNS sink state")
     * @param version the version of the sink's field list
     */
    protected EntryStateSerializer(String state, int version) {
        this.state = state;
        this.version = version;
    }

    /** Writes the fields of {@code entry}; their order is the state format. */
    protected abstract void write(T entry, DataOutputStream out) throws IOException;

    /** Reads an entry that {@link #write} wrote. */
    protected abstract T read(DataInputStream in) throws IOException;

    @Override
    protected final void serializeRequestToStream(T entry, DataOutputStream out)
            throws IOException {
        write(entry, out);
    }

    @Override
    protected final T deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        return read(in);
    }

    @Override
    public final int getVersion() {
        return version;
    }

    protected static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(NULL);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    protected final String readString(DataInputStream in) throws IOException {
        int length = readSize(in, "string of length ");
        if (length == NULL) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    protected static void writeStrings(DataOutputStream out, Map<String, String> map)
            throws IOException {
        if (map == null) {
            out.writeInt(NULL);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    /** What {@link #writeStrings} wrote, in key order; null for a null map. */
    protected final TreeMap<String, String> readStrings(DataInputStream in) throws IOException {
        int size = readSize(in, "map of size ");
        if (size == NULL) {
            return null;
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    /** The error on bytes that are not an entry of this state. */
    protected final IOException corrupt(String what) {
        return new IOException("Corrupt " + state + ": " + what);
    }

    private int readSize(DataInputStream in, String what) throws IOException {
        int size = in.readInt();
        if (size < NULL) {
            throw corrupt(what + size);
        }
        return size;
    }
}
