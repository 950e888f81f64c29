package io.recsys.monitor.job.source;

import io.recsys.monitor.model.RawLine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON-lines file as its lines' bytes, in memory bounded whatever the file holds. It
 * replaces Flink's {@code TextLineInputFormat}, which decoded every line as UTF-8 (replacing
 * invalid bytes with U+FFFD, so that the parser could not reject them) and held a whole line in
 * memory before any size check (a 700 MB line without a newline ran the task out of memory).
 *
 * <p>A line ends at {@code \n}; a {@code \r} before it is dropped. A line longer than {@code
 * maxLineBytes} is not held: the reader keeps its first {@code keptBytes}, counts the rest while
 * skipping to the next newline, and hands over a {@link RawLine} that says it was cut, which the
 * parser turns into a {@code limit_exceeded} dead letter. A byte-order mark is left to the parser,
 * which skips one at the start of any event.
 *
 * <p>As a {@link SimpleStreamFormat} it is not splittable, and a restored reader skips the records
 * it had already emitted: the same checkpointed positions as {@code TextLineInputFormat}, so that a
 * savepoint of either restores with the other (lines split only at {@code \n} now; the old format
 * also split at a lone {@code \r}). Compressed files ({@code .gz}, {@code .bz2}, ...) are
 * decompressed by the file source by their extension, before this reader.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<RawLine> {
    private static final long serialVersionUID = 1L;

    /** Bytes read from the file at a time. */
    private static final int CHUNK_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final int keptBytes;

    /**
     * @param maxLineBytes the longest line handed over whole
     * @param keptBytes how much of a longer line is kept for its dead letter
     */
    public JsonLinesFormat(int maxLineBytes, int keptBytes) {
        if (maxLineBytes < 1 || keptBytes < 1 || keptBytes > maxLineBytes) {
            throw new IllegalArgumentException(
                    "need 1 <= keptBytes <= maxLineBytes, got keptBytes="
                            + keptBytes
                            + ", maxLineBytes="
                            + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.keptBytes = keptBytes;
    }

    /** The longest line handed over whole, in bytes. */
    int maxLineBytes() {
        return maxLineBytes;
    }

    /** The bytes kept of a longer line. */
    int keptBytes() {
        return keptBytes;
    }

    @Override
    public StreamFormat.Reader<RawLine> createReader(
            Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, maxLineBytes, keptBytes);
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }

    /** The reader of one file; not thread-safe, as the file source uses it from one thread. */
    static final class LineReader implements StreamFormat.Reader<RawLine> {
        private final InputStream in;
        private final int maxLineBytes;
        private final int keptBytes;
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private int position;
        private int limit;
        private boolean endOfFile;

        /** The line being read, up to {@code maxLineBytes}; grows as lines need it. */
        private byte[] line = new byte[256];

        LineReader(InputStream in, int maxLineBytes, int keptBytes) {
            this.in = in;
            this.maxLineBytes = maxLineBytes;
            this.keptBytes = keptBytes;
        }

        @Override
        public RawLine read() throws IOException {
            long length = 0;
            int held = 0;
            boolean started = false;
            byte last = 0;
            while (true) {
                if (position == limit) {
                    if (!fill()) {
                        if (!started) {
                            return null;
                        }
                        return line(held, length, last);
                    }
                }
                started = true;
                int end = position;
                while (end < limit && chunk[end] != '\n') {
                    end++;
                }
                int segment = end - position;
                if (segment > 0) {
                    // Only up to one byte past the limit is held; the rest is only counted.
                    int room = maxLineBytes + 1 - held;
                    int take = Math.min(segment, Math.max(room, 0));
                    if (take > 0) {
                        ensureCapacity(held + take);
                        System.arraycopy(chunk, position, line, held, take);
                        held += take;
                    }
                    length += segment;
                    last = chunk[end - 1];
                }
                if (end < limit) {
                    position = end + 1;
                    return line(held, length, last);
                }
                position = end;
            }
        }

        /** The bytes held for the current line at most; bounded by the limit, for tests. */
        int heldCapacity() {
            return line.length;
        }

        private RawLine line(int held, long length, byte last) {
            if (last == '\r' && length > 0) {
                length--;
                if (held > length) {
                    held--;
                }
            }
            if (length > maxLineBytes) {
                return new RawLine(Arrays.copyOf(line, keptBytes), length);
            }
            return new RawLine(Arrays.copyOf(line, held), length);
        }

        private void ensureCapacity(int needed) {
            if (needed > line.length) {
                int capacity =
                        (int) Math.min((long) maxLineBytes + 1, Math.max(needed, 2L * line.length));
                line = Arrays.copyOf(line, capacity);
            }
        }

        private boolean fill() throws IOException {
            if (endOfFile) {
                return false;
            }
            int n;
            do {
                n = in.read(chunk, 0, chunk.length);
            } while (n == 0);
            if (n < 0) {
                endOfFile = true;
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
