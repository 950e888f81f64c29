package io.recsys.monitor.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Text in the events' byte form: a variable-length count of UTF-8 bytes plus one (0 for null), then
 * the bytes. Ids and feature names are ASCII, which the JDK encodes and decodes as one array copy;
 * Flink's {@code StringValue} instead reads a string char by char through the input view, which was
 * most of the cost of reading a prediction's twenty feature names.
 */
public final class WireText {
    private WireText() {}

    public static void write(String text, DataOutputView out) throws IOException {
        if (text == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeLength(bytes.length + 1, out);
        out.write(bytes);
    }

    public static String read(DataInputView in) throws IOException {
        int length = readLength(in) - 1;
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Seven bits per byte, low bits first; the high bit says that more follow. */
    private static void writeLength(int value, DataOutputView out) throws IOException {
        while (value >= 0x80) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int readLength(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw new IOException("malformed text length");
    }
}
