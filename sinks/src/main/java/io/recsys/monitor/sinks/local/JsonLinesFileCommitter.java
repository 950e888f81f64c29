package io.recsys.monitor.sinks.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Committer;

/**
 * The committer of a {@link JsonLinesFileSink}: recovers the output file when it is created (the
 * only place that does, so the order of start-up is fixed) and appends each completed checkpoint's
 * staged lines in checkpoint order. The file logic lives in {@link CommittedLinesFile}.
 */
final class JsonLinesFileCommitter implements Committer<StagedLines> {

    private final CommittedLinesFile output;
    private final CommittedLineListener listener;

    JsonLinesFileCommitter(
            CommittedLinesFile output,
            OptionalLong restoredCheckpointId,
            CommittedLineListener listener)
            throws IOException {
        this.output = output;
        this.listener = listener;
        output.recover(restoredCheckpointId);
    }

    @Override
    public void commit(Collection<CommitRequest<StagedLines>> requests) throws IOException {
        List<CommitRequest<StagedLines>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(request -> request.getCommittable().checkpointId()));
        for (CommitRequest<StagedLines> request : ordered) {
            // A failure here fails the job: the restart recovers the file and commits again.
            output.commit(request.getCommittable().checkpointId(), listener::committed);
        }
    }

    @Override
    public void close() {}
}
