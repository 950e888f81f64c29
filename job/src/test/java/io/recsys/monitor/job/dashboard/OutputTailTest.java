package io.recsys.monitor.job.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTailTest {
    @TempDir Path dir;

    @Test
    void readsWholeLinesOnceAndStartsOverWhenTheFileIsCutBack() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        OutputTail tail = new OutputTail(file);
        assertThat(tail.newLines()).isEmpty();

        Files.writeString(file, "a\nb\nhal");
        assertThat(tail.newLines()).containsExactly("a", "b");
        assertThat(tail.newLines()).isEmpty();

        Files.writeString(file, "f\nc\n", StandardOpenOption.APPEND);
        assertThat(tail.newLines()).containsExactly("half", "c");
        assertThat(tail.restarted()).isFalse();

        // A resume cut the file back to its checkpoint's length.
        Files.writeString(file, "a\n");
        assertThat(tail.newLines()).containsExactly("a");
        assertThat(tail.restarted()).isTrue();
    }
}
