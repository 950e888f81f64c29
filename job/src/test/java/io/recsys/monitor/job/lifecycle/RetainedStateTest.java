package io.recsys.monitor.job.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedStateTest {
    @TempDir Path dir;

    private Path checkpoint(String name, boolean complete) throws IOException {
        Path checkpoint = Files.createDirectories(dir.resolve(name));
        Files.writeString(checkpoint.resolve("state-file"), "x");
        if (complete) {
            Files.writeString(checkpoint.resolve(RetainedState.METADATA), "m");
        }
        return checkpoint;
    }

    @Test
    void theHighestCompleteCheckpointIsTheNewest() throws IOException {
        checkpoint("chk-9", true);
        Path newest = checkpoint("chk-10", true);
        checkpoint("chk-2", true);

        assertThat(RetainedState.newestCheckpoint(dir)).contains(newest);
    }

    @Test
    void aCheckpointKilledWhileTakenIsSkipped() throws IOException {
        Path complete = checkpoint("chk-4", true);
        checkpoint("chk-5", false);
        Files.createDirectories(dir.resolve("shared"));
        Files.createDirectories(dir.resolve("taskowned"));

        assertThat(RetainedState.newestCheckpoint(dir)).contains(complete);
    }

    @Test
    void noDirectoryOrNoCompleteCheckpointIsNone() throws IOException {
        assertThat(RetainedState.newestCheckpoint(dir.resolve("absent"))).isEmpty();
        checkpoint("chk-1", false);
        assertThat(RetainedState.newestCheckpoint(dir)).isEmpty();
    }

    @Test
    void theNewerOfACheckpointAndASavepointIsTheOneWrittenLast() throws IOException {
        Path checkpoint = checkpoint("chk-3", true);
        Path savepoint = checkpoint("savepoint-1", true);
        Files.setLastModifiedTime(
                checkpoint.resolve(RetainedState.METADATA), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(
                savepoint.resolve(RetainedState.METADATA), FileTime.fromMillis(2_000_000));

        assertThat(RetainedState.newer(Optional.of(checkpoint), Optional.of(savepoint)))
                .contains(savepoint);

        Files.setLastModifiedTime(
                checkpoint.resolve(RetainedState.METADATA), FileTime.fromMillis(3_000_000));
        assertThat(RetainedState.newer(Optional.of(checkpoint), Optional.of(savepoint)))
                .contains(checkpoint);
        assertThat(RetainedState.newer(Optional.empty(), Optional.of(savepoint)))
                .contains(savepoint);
        assertThat(RetainedState.newer(Optional.empty(), Optional.empty())).isEmpty();
    }
}
