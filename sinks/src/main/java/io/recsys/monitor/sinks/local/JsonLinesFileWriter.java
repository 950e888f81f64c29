package io.recsys.monitor.sinks.local;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;

/**
 * The writer of a {@link JsonLinesFileSink}: encodes each record as one UTF-8 line into the pending
 * staging file of the current checkpoint period, and hands the file over at the barrier ({@link
 * #prepareCommit}). Nothing reaches the output file here; the committer appends a period's lines
 * once its checkpoint completes. Package private; the sink decides when one may be created.
 *
 * <p>Pending files are named {@code pending-<n>} and created fresh: a new attempt first deletes
 * those its predecessor left, as no committable names them (they are renamed to their checkpoint id
 * when handed over).
 */
final class JsonLinesFileWriter<T> implements CommittingSinkWriter<T, String> {

    static final String PENDING_PREFIX = "pending-";

    private final Path file;
    private final Path stagingDirectory;
    private final RecordEncoder<T> encoder;
    private final Counter recordsWritten;
    private long nextPending;
    private FileChannel pendingChannel;
    private BufferedWriter pending;
    private String pendingName;

    JsonLinesFileWriter(Path file, RecordEncoder<T> encoder, Counter recordsWritten)
            throws IOException {
        this.file = file;
        this.stagingDirectory = CommittedLinesFile.stagingDirectory(file);
        this.encoder = encoder;
        this.recordsWritten = recordsWritten;
        Files.createDirectories(stagingDirectory);
        try (DirectoryStream<Path> left =
                Files.newDirectoryStream(stagingDirectory, PENDING_PREFIX + "*")) {
            for (Path path : left) {
                Files.delete(path);
            }
        }
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
        if (pending == null) {
            openPending();
        }
        pending.write(line);
        pending.write('\n');
        recordsWritten.inc();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (pending != null) {
            pending.flush();
        }
    }

    /**
     * Closes the period: its pending file, fsynced so that it outlives the process once the
     * checkpoint that names it completes, or nothing if the period wrote no line.
     */
    @Override
    public Collection<String> prepareCommit() throws IOException {
        if (pending == null) {
            return List.of();
        }
        pending.flush();
        pendingChannel.force(true);
        pending.close();
        String handedOver = pendingName;
        pending = null;
        pendingChannel = null;
        pendingName = null;
        return List.of(handedOver);
    }

    @Override
    public void close() throws IOException {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    private void openPending() throws IOException {
        pendingName = PENDING_PREFIX + nextPending++;
        pendingChannel =
                FileChannel.open(
                        stagingDirectory.resolve(pendingName),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
        // An OutputStreamWriter replaces what it cannot encode (a lone surrogate), where
        // Files.newBufferedWriter throws and would restart the job on the same record for ever.
        // The JSON encoders escape such text anyway; this is the last line of defence.
        pending =
                new BufferedWriter(
                        new OutputStreamWriter(
                                Channels.newOutputStream(pendingChannel), StandardCharsets.UTF_8));
    }
}
