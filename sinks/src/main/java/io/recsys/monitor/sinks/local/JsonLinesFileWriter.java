package io.recsys.monitor.sinks.local;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;

/**
 * The writer of a {@link JsonLinesFileSink}: a buffered UTF-8 appender to one file. Package
 * private; the sink decides when one may be created.
 */
final class JsonLinesFileWriter<T> implements SinkWriter<T> {

    private final Path file;
    private final RecordEncoder<T> encoder;
    private final Counter recordsWritten;
    private final BufferedWriter out;

    JsonLinesFileWriter(Path file, RecordEncoder<T> encoder, Counter recordsWritten)
            throws IOException {
        this.file = file;
        this.encoder = encoder;
        this.recordsWritten = recordsWritten;
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Append: a restarted local run adds to what an earlier run wrote instead of erasing it.
        // An OutputStreamWriter replaces what it cannot encode (a lone surrogate), where
        // Files.newBufferedWriter throws and would restart the job on the same record for ever.
        // The JSON encoders escape such text anyway; this is the last line of defence.
        this.out =
                new BufferedWriter(
                        new OutputStreamWriter(
                                Files.newOutputStream(
                                        file,
                                        StandardOpenOption.CREATE,
                                        StandardOpenOption.WRITE,
                                        StandardOpenOption.APPEND),
                                StandardCharsets.UTF_8));
    }

    @Override
    public void write(T element, Context context) throws IOException {
        String line = encoder.encode(element);
        // A line break inside a record would silently split it into two unreadable lines.
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IOException(
                    "Encoder "
                            + encoder.getClass().getName()
                            + " produced a line break; cannot write it to "
                            + file);
        }
        out.write(line);
        out.write('\n');
        // Metrics and alerts come a few at a time, and a person tailing the file should see them
        // when they happen, not at the next checkpoint.
        out.flush();
        recordsWritten.inc();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
