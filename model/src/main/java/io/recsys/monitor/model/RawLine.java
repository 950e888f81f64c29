package io.recsys.monitor.model;

/**
 * One line of an input file as its bytes, between the file reader and the parser. The bytes are not
 * decoded by the reader, so that the parser sees invalid UTF-8 instead of the U+FFFD a decoder
 * would put in its place; and a line longer than the event size limit arrives as its first bytes
 * only, with its full length, so that reading it costs bounded memory whatever its length.
 */
public class RawLine {
    /** The line without its terminator, or only its first bytes when {@link #truncated()}. */
    public byte[] bytes;

    /** The line's full length in bytes, without its terminator. */
    public long length;

    public RawLine() {}

    public RawLine(byte[] bytes, long length) {
        this.bytes = bytes;
        this.length = length;
    }

    /** Whether the line was longer than the reader keeps, so that {@link #bytes} is a prefix. */
    public boolean truncated() {
        return length > bytes.length;
    }

    @Override
    public String toString() {
        return "RawLine{" + length + " bytes" + (truncated() ? ", truncated" : "") + "}";
    }
}
