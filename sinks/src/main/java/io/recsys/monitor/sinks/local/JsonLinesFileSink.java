package io.recsys.monitor.sinks.local;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A sink for local runs that writes one encoded line per record to a single file, e.g. {@code
 * metrics.jsonl}, exactly once: after any failure and restore every record's line is in the file
 * once, in order, and no line is torn. A developer can {@code tail -f} the file and a test can read
 * it back.
 *
 * <p>It is a two-phase commit on Flink's sink API. The writer stages the lines of each checkpoint
 * period in a hidden file ({@code .staging/<file>/<checkpointId>}); when the checkpoint completes,
 * the committer appends them to the file, fsyncs it and records the commit in {@code
 * .<file>.commits}; a restart cuts the file back to what the restored checkpoint had committed (see
 * {@link CommittedLinesFile}). Lines therefore become visible when their checkpoint completes: the
 * checkpoint interval is the output's latency. At the end of a bounded input, and in a run without
 * checkpoints, everything is committed when the input ends.
 *
 * <p>It must run with parallelism 1 ({@code sinkTo(sink).setParallelism(1)}): one file has one
 * writer. A writer created for a subtask other than the only one fails with an {@link
 * IllegalStateException}. It needs a uid ({@code sinkTo(sink).uid(...)}), as its staging step has
 * one. The writer counts the lines it staged in the counter {@value #RECORDS_WRITTEN_METRIC}.
 *
 * @param <T> the record type
 */
public final class JsonLinesFileSink<T>
        implements Sink<T>,
                SupportsCommitter<StagedLines>,
                SupportsPreCommitTopology<String, StagedLines> {
    private static final long serialVersionUID = 1L;

    /** Name of the writer's counter of lines written. */
    public static final String RECORDS_WRITTEN_METRIC = "recordsWritten";

    // java.nio.file.Path is not Serializable, so the sink keeps the absolute path as text.
    private final String file;
    private final RecordEncoder<T> encoder;
    private final CommittedLineListener committedLines;

    private JsonLinesFileSink(
            String file, RecordEncoder<T> encoder, CommittedLineListener committedLines) {
        this.file = file;
        this.encoder = encoder;
        this.committedLines = committedLines;
    }

    /**
     * A sink that writes to {@code file}, creating it and its parent directories when it opens. A
     * relative path is resolved now, on the client, not in the task manager's working directory.
     */
    public static <T> JsonLinesFileSink<T> forPath(Path file, RecordEncoder<T> encoder) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(encoder, "encoder");
        return new JsonLinesFileSink<>(
                file.toAbsolutePath().toString(), encoder, CommittedLineListener.NONE);
    }

    /** This sink, telling {@code listener} of every line it commits, once. */
    public JsonLinesFileSink<T> withCommittedLines(CommittedLineListener listener) {
        return new JsonLinesFileSink<>(file, encoder, Objects.requireNonNull(listener));
    }

    /** The file this sink writes. */
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

    @Override
    public Committer<StagedLines> createCommitter(CommitterInitContext context) throws IOException {
        requireSingleSubtask(context.getTaskInfo());
        return new JsonLinesFileCommitter(
                new CommittedLinesFile(Paths.get(file)),
                context.getRestoredCheckpointId(),
                committedLines);
    }

    @Override
    public SimpleVersionedSerializer<StagedLines> getCommittableSerializer() {
        return StagedLines.Serializer.INSTANCE;
    }

    @Override
    public DataStream<CommittableMessage<StagedLines>> addPreCommitTopology(
            DataStream<CommittableMessage<String>> pendingFiles) {
        String name = Paths.get(file).getFileName().toString();
        return pendingFiles
                .map(new CheckpointStamp(file))
                .returns(CommittableMessageTypeInfo.of(StagedLines.Serializer::new))
                // The writer's parallelism, so that a parallel writer fails with its own message.
                .setParallelism(pendingFiles.getParallelism())
                // Stateless, but every operator has a stable uid. Flink then demands one on the
                // sinkTo(...) too, and two sinks of one job may not write files of the same name.
                .uid("stage-" + name)
                .name("Stage " + name);
    }

    @Override
    public SimpleVersionedSerializer<String> getWriteResultSerializer() {
        return StagedLines.PendingFileSerializer.INSTANCE;
    }

    private SinkWriter<T> openWriter(TaskInfo task, SinkWriterMetricGroup metrics)
            throws IOException {
        requireSingleSubtask(task);
        return new JsonLinesFileWriter<>(
                Paths.get(file), encoder, metrics.counter(RECORDS_WRITTEN_METRIC));
    }

    private void requireSingleSubtask(TaskInfo task) {
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
    }
}
