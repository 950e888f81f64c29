package io.recsys.monitor.sinks.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

/**
 * Between the writer and the committer of a {@link JsonLinesFileSink}: names each pending staging
 * file after the checkpoint it belongs to. The writer cannot do it (Flink asks it for committables
 * before telling it the checkpoint id) and the committer never sees the id; the committable message
 * between them carries it.
 */
final class CheckpointStamp
        implements MapFunction<CommittableMessage<String>, CommittableMessage<StagedLines>> {
    private static final long serialVersionUID = 1L;

    private final String file;

    CheckpointStamp(String file) {
        this.file = file;
    }

    @Override
    public CommittableMessage<StagedLines> map(CommittableMessage<String> message)
            throws IOException {
        if (message instanceof CommittableSummary) {
            return ((CommittableSummary<String>) message).map();
        }
        CommittableWithLineage<String> pending = (CommittableWithLineage<String>) message;
        long checkpointId = pending.getCheckpointIdOrEOI();
        Path output = Paths.get(file);
        Path staged = CommittedLinesFile.stagingFile(output, checkpointId);
        // Stale files of higher ids are gone since recovery: one here means two periods claim the
        // same checkpoint, and replacing it would lose lines.
        if (Files.exists(staged)) {
            throw new IOException("Staging file " + staged + " already exists");
        }
        Files.move(
                CommittedLinesFile.stagingDirectory(output).resolve(pending.getCommittable()),
                staged,
                StandardCopyOption.ATOMIC_MOVE);
        return pending.map(name -> new StagedLines(checkpointId));
    }
}
