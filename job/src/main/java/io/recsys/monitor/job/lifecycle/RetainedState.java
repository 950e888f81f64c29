package io.recsys.monitor.job.lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the checkpoints and savepoints a run left behind. Flink writes a checkpoint's {@code
 * _metadata} last, so a {@code chk-N} directory without it is one the run was killed while taking
 * and is skipped.
 */
public final class RetainedState {
    /** The file Flink writes last into a complete checkpoint or savepoint. */
    public static final String METADATA = "_metadata";

    private static final Pattern CHECKPOINT = Pattern.compile("chk-([0-9]{1,18})");

    private RetainedState() {}

    /** Whether {@code directory} holds a complete checkpoint or savepoint. */
    public static boolean isComplete(Path directory) {
        return directory != null && Files.isRegularFile(directory.resolve(METADATA));
    }

    /**
     * The complete checkpoint with the highest number in {@code jobCheckpoints} (Flink's {@code
     * <checkpoint dir>/<job id>}), empty when there is none or the directory does not exist.
     */
    public static Optional<Path> newestCheckpoint(Path jobCheckpoints) throws IOException {
        if (!Files.isDirectory(jobCheckpoints)) {
            return Optional.empty();
        }
        Path newest = null;
        long newestId = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jobCheckpoints)) {
            for (Path entry : entries) {
                Matcher matcher = CHECKPOINT.matcher(entry.getFileName().toString());
                if (matcher.matches() && isComplete(entry)) {
                    long id = Long.parseLong(matcher.group(1));
                    if (id > newestId) {
                        newestId = id;
                        newest = entry;
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * The newer of a checkpoint and a savepoint, either possibly absent, by the time their {@code
     * _metadata} was written.
     */
    public static Optional<Path> newer(Optional<Path> checkpoint, Optional<Path> savepoint)
            throws IOException {
        if (checkpoint.isEmpty()) {
            return savepoint;
        }
        if (savepoint.isEmpty()) {
            return checkpoint;
        }
        return Files.getLastModifiedTime(savepoint.get().resolve(METADATA))
                                .compareTo(
                                        Files.getLastModifiedTime(
                                                checkpoint.get().resolve(METADATA)))
                        >= 0
                ? savepoint
                : checkpoint;
    }
}
