package io.recsys.monitor.sinks.aws;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field forms of the sinks' checkpointed entries: a string is its length and UTF-8 bytes, not
 * {@code writeUTF}, whose 64 KiB limit is below the services' entry sizes (an entry too large for
 * its service must still checkpoint, to be dead-lettered); a map of strings is its size and pairs.
 * Length -1 stands for null, so that null and "" survive a round trip. A change to these forms
 * changes every sink's state format and needs a new version of each.
 */
public final class EntryStateFields {
    private static final int NULL = -1;

    private EntryStateFields() {}

    public static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(NULL);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * @param state what the state belongs to, for the error on corrupt bytes ("SNS sink state")
     */
    public static String readString(DataInputStream in, String state) throws IOException {
        int length = readSize(in, state, "string of length ");
        if (length == NULL) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeStrings(DataOutputStream out, Map<String, String> map)
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
    public static TreeMap<String, String> readStrings(DataInputStream in, String state)
            throws IOException {
        int size = readSize(in, state, "map of size ");
        if (size == NULL) {
            return null;
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in, state), readString(in, state));
        }
        return map;
    }

    private static int readSize(DataInputStream in, String state, String what) throws IOException {
        int size = in.readInt();
        if (size < NULL) {
            throw new IOException("Corrupt " + state + ": " + what + size);
        }
        return size;
    }
}
