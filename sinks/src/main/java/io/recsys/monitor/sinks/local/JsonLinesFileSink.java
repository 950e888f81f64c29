package io.recsys.monitor.sinks.local;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * A sink for local runs that appends one encoded line per record to a single file, e.g. {@code
 * metrics.jsonl}, so that a developer can {@code tail -f} the results and a test can read them
 * back.
 *
 * <p>It must run with parallelism 1 ({@code sinkTo(sink).setParallelism(1)}): one file has one
 * writer, and a second subtask would interleave partial buffers into it. A writer created for a
 * subtask other than the only one fails with an {@link IllegalStateException}.
 *
 * <p>Each line is handed to the operating system as it is written, so that metrics and alerts show
 * in the file when they happen; nothing is fsynced and nothing is rolled back, so after a failover
 * the lines written since the last checkpoint appear again (at-least-once). That is fine for a
 * local run; a production deployment uses the CloudWatch and SNS sinks instead.
 *
 * <p>The writer counts the lines it wrote in the counter {@value #RECORDS_WRITTEN_METRIC}.
 *
 * @param <T> the record type
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Name of the writer's counter of lines written. */
    public static final String RECORDS_WRITTEN_METRIC = "recordsWritten";

    // java.nio.file.Path is not Serializable, so the sink keeps the absolute path as text.
    private final String file;
    private final RecordEncoder<T> encoder;

    private JsonLinesFileSink(String file, RecordEncoder<T> encoder) {
        this.file = file;
        this.encoder = encoder;
    }

    /**
     * A sink that appends to {@code file}, creating it and its parent directories when the writer
     * opens. A relative path is resolved now, on the client, not in the task manager's working
     * directory.
     */
    public static <T> JsonLinesFileSink<T> forPath(Path file, RecordEncoder<T> encoder) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(encoder, "encoder");
        return new JsonLinesFileSink<>(file.toAbsolutePath().toString(), encoder);
    }

    /** The file this sink appends to. */
    public Path file() {
        return Paths.get(file);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return openWriter(context.getTaskInfo(), context.metricGroup());
    }

    /**
     * Flink 1.20 still declares this as the abstract method; the runtime calls {@link
     * #createWriter(WriterInitContext)}. Both open the same writer.
     *
     * @deprecated use {@link #createWriter(WriterInitContext)}
     */
    @Deprecated
    @Override
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        return openWriter(context.getTaskInfo(), context.metricGroup());
    }

    private SinkWriter<T> openWriter(TaskInfo task, SinkWriterMetricGroup metrics)
            throws IOException {
        if (task.getNumberOfParallelSubtasks() > 1 || task.getIndexOfThisSubtask() > 0) {
            throw new IllegalStateException(
                    "JsonLinesFileSink for "
                            + file
                            + " must run with parallelism 1, but this is subtask "
                            + task.getIndexOfThisSubtask()
                            + " of "
                            + task.getNumberOfParallelSubtasks()
                            + " in '"
                            + task.getTaskName()
                            + "'; call setParallelism(1) on the sinkTo(...) of this sink");
        }
        return new JsonLinesFileWriter<>(
                Paths.get(file), encoder, metrics.counter(RECORDS_WRITTEN_METRIC));
    }
}
