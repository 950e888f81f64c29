package io.recsys.monitor.job.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
    @TempDir Path dir;

    @Test
    void aWrittenManifestReadsBackAndLeavesNoTemporaryFile() throws IOException {
        RunManifest manifest = new RunManifest();
        manifest.state = RunManifest.State.STOPPED;
        manifest.settings.put("source.input", "events/");
        manifest.jobId = "0123456789abcdef0123456789abcdef";
        manifest.checkpointDir = "/tmp/checkpoints";
        manifest.lastSavepoint = "/tmp/savepoints/savepoint-1";
        manifest.pid = 42;

        manifest.write(dir);
        RunManifest read = RunManifest.read(dir).orElseThrow();

        assertThat(read.state).isEqualTo(RunManifest.State.STOPPED);
        assertThat(read.unfinished()).isTrue();
        assertThat(read.settings).containsEntry("source.input", "events/");
        assertThat(read.jobId).isEqualTo(manifest.jobId);
        assertThat(read.lastSavepoint).isEqualTo(manifest.lastSavepoint);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(RunManifest.FILE));
        }
    }

    @Test
    void aFinishedRunIsNotUnfinished() throws IOException {
        RunManifest manifest = new RunManifest();
        manifest.state = RunManifest.State.FINISHED;
        manifest.jobId = "0123456789abcdef0123456789abcdef";
        manifest.write(dir);

        assertThat(RunManifest.read(dir).orElseThrow().unfinished()).isFalse();
    }

    @Test
    void noManifestIsEmpty() throws IOException {
        assertThat(RunManifest.read(dir)).isEmpty();
    }

    @Test
    void aTemporaryFileLeftByAKillDuringTheWriteIsIgnored() throws IOException {
        RunManifest manifest = new RunManifest();
        manifest.jobId = "0123456789abcdef0123456789abcdef";
        manifest.write(dir);
        Files.writeString(dir.resolve("." + RunManifest.FILE + ".tmp"), "{\"state\":\"FIN");

        assertThat(RunManifest.read(dir).orElseThrow().state).isEqualTo(RunManifest.State.RUNNING);
        // The next write replaces the leftover.
        manifest.state = RunManifest.State.FINISHED;
        manifest.write(dir);
        assertThat(RunManifest.read(dir).orElseThrow().state).isEqualTo(RunManifest.State.FINISHED);
    }

    @Test
    void aDamagedManifestIsAnError() throws IOException {
        Files.writeString(dir.resolve(RunManifest.FILE), "{\"state\":\"RUNN");
        assertThatThrownBy(() -> RunManifest.read(dir)).isInstanceOf(IOException.class);

        Files.writeString(dir.resolve(RunManifest.FILE), "{\"state\":\"RUNNING\"}");
        assertThatThrownBy(() -> RunManifest.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("incomplete");
    }
}
