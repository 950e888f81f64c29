package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompleteFilesTest {

    @TempDir Path dir;

    @Test
    void namesOfFilesStillBeingWrittenAreNotComplete() {
        assertThat(complete("events.jsonl")).isTrue();
        assertThat(complete("events.jsonl.gz")).isTrue();
        assertThat(complete("tmp-events.jsonl")).isTrue();
        assertThat(complete(".events.jsonl")).isFalse();
        assertThat(complete("_events.jsonl")).isFalse();
        assertThat(complete("events.jsonl.tmp")).isFalse();
        assertThat(complete(".events.jsonl.tmp")).isFalse();
        assertThat(complete("_COPYING_")).isFalse();
    }

    @Test
    void aDirectoryListsOnlyItsCompleteFilesAndThoseOfItsCompleteSubdirectories() throws Exception {
        for (String name :
                new String[] {"a.jsonl", ".b.jsonl.tmp", "_c.jsonl", "d.jsonl.tmp", "e.jsonl.gz"}) {
            Files.writeString(dir.resolve(name), "{}\n");
        }
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/f.jsonl"), "{}\n");
        Files.createDirectories(dir.resolve("_staging"));
        Files.writeString(dir.resolve("_staging/g.jsonl"), "{}\n");

        assertThat(names(new CompleteFiles(true), dir))
                .containsExactlyInAnyOrder("a.jsonl", "e.jsonl.gz", "f.jsonl");
    }

    @Test
    void aFileGivenByNameIsReadWhateverItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("_events.jsonl.tmp"), "{}\n");
        assertThat(names(new CompleteFiles(false), file)).containsExactly("_events.jsonl.tmp");
    }

    @Test
    void aMissingInputEndsABoundedReplayAndIsOnlyReportedWhenFollowed() throws Exception {
        Path missing = dir.resolve("gone");
        assertThatThrownBy(() -> names(new CompleteFiles(false), missing))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessage("input " + flinkPath(missing) + " does not exist");
        assertThat(names(new CompleteFiles(true), missing)).isEmpty();
    }

    private static boolean complete(String name) {
        return CompleteFiles.isComplete(new org.apache.flink.core.fs.Path("/in/" + name));
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path path) {
        return new org.apache.flink.core.fs.Path(path.toUri());
    }

    private static List<String> names(CompleteFiles files, Path path) throws Exception {
        Collection<FileSourceSplit> splits =
                files.enumerateSplits(new org.apache.flink.core.fs.Path[] {flinkPath(path)}, 1);
        return splits.stream().map(s -> s.path().getName()).collect(Collectors.toList());
    }
}
