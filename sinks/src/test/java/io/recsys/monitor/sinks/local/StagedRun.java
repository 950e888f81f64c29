package io.recsys.monitor.sinks.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

/**
 * One attempt of a {@link JsonLinesFileSink} driven by hand, in the order the runtime uses: the
 * committer recovers the file, the writer stages lines, a checkpoint barrier hands the pending file
 * over and stamps it with the checkpoint id, and a completed checkpoint commits it.
 */
final class StagedRun<T> implements AutoCloseable {

    private final Path file;
    private final JsonLinesFileWriter<T> writer;
    private final JsonLinesFileCommitter committer;
    private final MetricListener metrics = new MetricListener();

    StagedRun(JsonLinesFileSink<T> sink, OptionalLong restoredCheckpointId) throws IOException {
        this(sink, restoredCheckpointId, CommittedLineListener.NONE);
    }

    StagedRun(
            JsonLinesFileSink<T> sink,
            OptionalLong restoredCheckpointId,
            CommittedLineListener listener)
            throws IOException {
        this.file = sink.file();
        this.committer =
                new JsonLinesFileCommitter(
                        new CommittedLinesFile(file), restoredCheckpointId, listener);
        this.writer =
                (JsonLinesFileWriter<T>)
                        sink.createWriter(new TestWriterInitContext(metrics, 0, 1));
    }

    MetricListener metrics() {
        return metrics;
    }

    @SafeVarargs
    final StagedRun<T> write(T... records) throws IOException {
        for (T record : records) {
            writer.write(record, null);
        }
        return this;
    }

    /** The barrier of checkpoint {@code id}: the committables it snapshots. */
    List<StagedLines> barrier(long id) throws IOException {
        writer.flush(false);
        List<StagedLines> staged = new ArrayList<>();
        for (String pending : writer.prepareCommit()) {
            CommittableMessage<StagedLines> message =
                    new CheckpointStamp(file.toString())
                            .map(new CommittableWithLineage<>(pending, id, 0));
            staged.add(((CommittableWithLineage<StagedLines>) message).getCommittable());
        }
        return staged;
    }

    /** Checkpoint {@code id} completes: its committables are committed. */
    void complete(List<StagedLines> staged) throws IOException {
        List<Committer.CommitRequest<StagedLines>> requests = new ArrayList<>();
        for (StagedLines lines : staged) {
            requests.add(new Request(lines));
        }
        committer.commit(requests);
    }

    /** Barrier and completion of checkpoint {@code id}. */
    void checkpoint(long id) throws IOException {
        complete(barrier(id));
    }

    @Override
    public void close() throws IOException {
        writer.close();
        committer.close();
    }

    private static final class Request implements Committer.CommitRequest<StagedLines> {
        private final StagedLines committable;

        Request(StagedLines committable) {
            this.committable = committable;
        }

        @Override
        public StagedLines getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new AssertionError("commit failed", t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new AssertionError("commit failed", t);
        }

        @Override
        public void retryLater() {
            throw new AssertionError("commit retried");
        }

        @Override
        public void updateAndRetryLater(StagedLines committable) {
            throw new AssertionError("commit retried");
        }

        @Override
        public void signalAlreadyCommitted() {}
    }
}
