package io.recsys.monitor.sinks.local;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file side of an exactly-once JSON-lines output, without Flink: the lines of each checkpoint
 * are staged in their own file ({@code <dir>/.staging/<file>/<checkpointId>}); a completed
 * checkpoint's staging file is appended to the output in checkpoint order, fsynced, recorded in the
 * {@link CommitLog} ({@code <dir>/.<file>.commits}) and deleted; a restart cuts the output back to
 * what the restored checkpoint had committed.
 *
 * <p>Order of a commit: append, fsync, record, delete. A crash before the record leaves a tail that
 * the next {@link #recover} cuts off (the checkpoint's lines come back with the restored
 * committables and are appended again); a crash after it leaves a staging file that a re-delivered
 * committable finds committed and deletes.
 *
 * <p>What a restart cannot heal (an output changed or removed outside the job, a commit log that
 * does not reach back to the restored checkpoint, a missing staging file, a directory that may not
 * be written) fails with an {@link UnrecoverableFailure} naming the path, so that the run ends
 * instead of restarting into the same failure.
 */
final class CommittedLinesFile {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedLinesFile.class);

    private final Path file;
    private final Path stagingDirectory;
    private final Path logPath;
    private CommitLog log;

    CommittedLinesFile(Path file) {
        this.file = file;
        this.stagingDirectory = stagingDirectory(file);
        this.logPath = file.resolveSibling("." + file.getFileName() + ".commits");
    }

    /** The hidden directory where the lines of {@code file} wait for their checkpoint. */
    static Path stagingDirectory(Path file) {
        return file.resolveSibling(".staging").resolve(file.getFileName().toString());
    }

    /** The staging file of the lines of checkpoint {@code checkpointId}. */
    static Path stagingFile(Path file, long checkpointId) {
        return stagingDirectory(file).resolve(Long.toString(checkpointId));
    }

    Path logPath() {
        return logPath;
    }

    /**
     * Brings the output back to the state of the restored checkpoint: with none, an empty file and
     * log; with checkpoint {@code c}, the file cut to its length at {@code c} (which removes a torn
     * tail and the lines of a later attempt, also when resuming from an older savepoint) and the
     * log without the commits after {@code c}. Staging files that no restored committable can name
     * (ids above {@code c}) or that are already appended are deleted.
     *
     * <p>Output files of a version without a commit log are kept whole: the first restore adopts
     * them as committed up to {@code c}.
     */
    void recover(OptionalLong restoredCheckpointId) throws IOException {
        try {
            Files.createDirectories(stagingDirectory);
        } catch (AccessDeniedException e) {
            throw new UnrecoverableFailure("Cannot write the output directory " + e.getFile(), e);
        }
        long length;
        if (restoredCheckpointId.isEmpty()) {
            log = CommitLog.empty(logPath);
            length = 0;
        } else {
            long restored = restoredCheckpointId.getAsLong();
            if (CommitLog.exists(logPath)) {
                log = CommitLog.read(logPath);
                length = log.lengthAt(restored);
                log.dropAfter(restored);
            } else {
                length = Files.exists(file) ? Files.size(file) : 0;
                log = CommitLog.startingAt(logPath, restored, length);
                LOG.info(
                        "event=output_adopted file={} checkpoint={} bytes={}",
                        file.getFileName(),
                        restored,
                        length);
            }
        }
        long before = cutTo(length);
        log.write();
        int stale = deleteStaleStagingFiles(restoredCheckpointId);
        if (before != length || stale > 0) {
            LOG.info(
                    "event=output_recovered file={} checkpoint={} bytes_cut={} staging_deleted={}",
                    file.getFileName(),
                    restoredCheckpointId.isPresent() ? restoredCheckpointId.getAsLong() : "none",
                    before - length,
                    stale);
        }
    }

    /**
     * Appends the staged lines of {@code checkpointId}, unless they are already in the file,
     * records the commit and hands each appended line to {@code committedLines}.
     *
     * @return whether lines were appended (false for a committable delivered again)
     * @throws UnrecoverableFailure if the staging file of a checkpoint not yet committed is missing
     */
    boolean commit(long checkpointId, Consumer<String> committedLines) throws IOException {
        requireRecovered();
        Path staged = stagingFile(file, checkpointId);
        if (log.isCommitted(checkpointId)) {
            Files.deleteIfExists(staged);
            return false;
        }
        if (!Files.exists(staged)) {
            throw new UnrecoverableFailure(
                    "Lines of checkpoint "
                            + checkpointId
                            + " for "
                            + file
                            + " are missing: no staging file "
                            + staged);
        }
        long start = log.committedLength();
        long end;
        try (FileChannel out =
                        FileChannel.open(
                                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileChannel in = FileChannel.open(staged, StandardOpenOption.READ)) {
            // Written at the committed length, not appended at the end: a tail torn by a failed
            // earlier attempt of this commit is overwritten instead of kept.
            out.truncate(start);
            long size = in.size();
            long copied = 0;
            while (copied < size) {
                copied += out.transferFrom(in, start + copied, size - copied);
            }
            out.force(true);
            end = start + size;
        }
        log.add(checkpointId, end);
        log.write();
        try (BufferedReader lines = Files.newBufferedReader(staged, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                committedLines.accept(line);
            }
        }
        Files.delete(staged);
        return true;
    }

    /** The commits recorded so far (for tests). */
    CommitLog log() {
        requireRecovered();
        return log;
    }

    private long cutTo(long length) throws IOException {
        if (!Files.exists(file)) {
            if (length > 0) {
                throw new UnrecoverableFailure(
                        "Output "
                                + file
                                + " is missing; its commit log says it held "
                                + length
                                + " bytes; start with a new output directory");
            }
            Files.createFile(file);
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < length) {
                throw new UnrecoverableFailure(
                        "Output "
                                + file
                                + " holds "
                                + size
                                + " bytes, fewer than the "
                                + length
                                + " its commit log says were committed; it was changed outside"
                                + " the job; start with a new output directory");
            }
            channel.truncate(length);
            channel.force(true);
            return size;
        }
    }

    private int deleteStaleStagingFiles(OptionalLong restoredCheckpointId) throws IOException {
        long restored = restoredCheckpointId.orElse(Long.MIN_VALUE);
        int deleted = 0;
        try (DirectoryStream<Path> staged = Files.newDirectoryStream(stagingDirectory)) {
            for (Path path : staged) {
                long id;
                try {
                    id = Long.parseLong(path.getFileName().toString());
                } catch (NumberFormatException e) {
                    // Pending files belong to the writer, which clears its own.
                    continue;
                }
                if (id > restored || log.isCommitted(id)) {
                    Files.delete(path);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private void requireRecovered() {
        if (log == null) {
            throw new IllegalStateException("recover() first");
        }
    }
}
