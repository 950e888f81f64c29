package io.recsys.monitor.job.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.job.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
    @TempDir Path dir;

    @Test
    void aSecondClaimIsRefusedNamingTheDirectoryAndTheHolder() throws IOException {
        Path output = dir.resolve("out");
        try (OutputLock first = OutputLock.acquire(output)) {
            assertThat(Files.readString(output.resolve(OutputLock.FILE)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));

            assertThatThrownBy(() -> OutputLock.acquire(output))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining(output.toAbsolutePath().toString())
                    .hasMessageContaining("in use by another run")
                    .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
        }
        // Released: the next run may claim it.
        OutputLock.acquire(output).close();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAUserError() throws IOException {
        Path file = Files.writeString(dir.resolve("out"), "not a directory");

        assertThatThrownBy(() -> OutputLock.acquire(file))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("is not a directory");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }
}
