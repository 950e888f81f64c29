package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSinkTest {

    private static final RecordEncoder<String> QUOTED = value -> "{\"v\":\"" + value + "\"}";

    @TempDir Path dir;

    private final MetricListener metrics = new MetricListener();

    @Test
    void linesReachTheFileWhenTheirCheckpointCompletes() throws Exception {
        Path file = dir.resolve("out/run-1/metrics.jsonl");

        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a", "é");
            assertThat(file).isEmptyFile();

            List<StagedLines> staged = run.barrier(1);
            run.write("b");
            assertThat(file).isEmptyFile();

            run.complete(staged);
            assertThat(lines(file)).containsExactly(line("a"), line("é"));

            run.checkpoint(2);
            assertThat(lines(file)).containsExactly(line("a"), line("é"), line("b"));
        }
        assertThat(CommittedLinesFile.stagingDirectory(file)).isEmptyDirectory();
    }

    @Test
    void aCheckpointWithoutLinesCommitsNothing() throws Exception {
        Path file = dir.resolve("metrics.jsonl");

        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            assertThat(run.barrier(1)).isEmpty();
            run.write("a").checkpoint(2);
        }

        assertThat(new CommittedLinesFile(file).logPath()).hasContent("2 10");
    }

    @Test
    void committingTheSameCheckpointAgainIsANoOp() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        List<String> told = new ArrayList<>();

        try (StagedRun<String> run = new StagedRun<>(sink(file), OptionalLong.empty(), told::add)) {
            List<StagedLines> staged = run.write("a", "b").barrier(1);
            run.complete(staged);
            // Flink hands the committables of a restored checkpoint over again.
            run.complete(staged);
            run.complete(staged);
        }

        assertThat(lines(file)).containsExactly(line("a"), line("b"));
        assertThat(told).containsExactly(line("a"), line("b"));
    }

    @Test
    void aRestoredCheckpointsCommittablesAreCommittedOnceAfterTheRestore() throws Exception {
        Path file = dir.resolve("drift.jsonl");
        List<StagedLines> snapshotOf2;
        try (StagedRun<String> first = run(file, OptionalLong.empty())) {
            first.write("a").checkpoint(1);
            snapshotOf2 = first.write("b").barrier(2);
            // Checkpoint 2 completes, then the job fails before the committer is notified.
        }

        try (StagedRun<String> second = run(file, OptionalLong.of(2))) {
            second.complete(snapshotOf2);
            second.complete(snapshotOf2);
            second.write("c").checkpoint(3);
        }

        assertThat(lines(file)).containsExactly(line("a"), line("b"), line("c"));
    }

    @Test
    void aTornTailIsRemovedOnRestore() throws Exception {
        Path file = dir.resolve("dead-letter.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(1);
        }
        // A crash in the middle of the next append.
        Files.writeString(file, "{\"v\":\"b\"}\n{\"v\":", StandardOpenOption.APPEND);

        try (StagedRun<String> run = run(file, OptionalLong.of(1))) {
            assertThat(lines(file)).containsExactly(line("a"));
            run.write("b").checkpoint(2);
        }

        assertThat(lines(file)).containsExactly(line("a"), line("b"));
    }

    @Test
    void restoringAnOlderCheckpointCutsTheLinesCommittedAfterIt() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(1);
            run.write("b").checkpoint(2);
            run.write("c").checkpoint(3);
        }

        try (StagedRun<String> run = run(file, OptionalLong.of(2))) {
            assertThat(lines(file)).containsExactly(line("a"), line("b"));
            // Ids after a restore from a savepoint start again above it, and may be reused.
            run.write("c2").checkpoint(3);
        }
        assertThat(lines(file)).containsExactly(line("a"), line("b"), line("c2"));

        try (StagedRun<String> run = run(file, OptionalLong.of(1))) {
            assertThat(lines(file)).containsExactly(line("a"));
        }
    }

    @Test
    void aCheckpointBeforeAnyCommitRestoresAnEmptyFile() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(5);
        }

        try (StagedRun<String> run = run(file, OptionalLong.of(4))) {
            assertThat(file).isEmptyFile();
        }
    }

    @Test
    void aRunWithoutRestoreStartsFromAnEmptyFile() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(1);
        }

        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            assertThat(file).isEmptyFile();
            run.write("b").checkpoint(1);
        }

        assertThat(lines(file)).containsExactly(line("b"));
    }

    @Test
    void staleStagingFilesAreRemovedOnRestore() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Path staging = CommittedLinesFile.stagingDirectory(file);
        List<StagedLines> of2;
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(1);
            of2 = run.write("b").barrier(2);
            run.write("c").barrier(3);
            run.write("d");
            run.barrier(4);
            run.write("pending");
        }
        // Left by a crash between the record of commit 1 and the delete of its staging file.
        Files.writeString(staging.resolve("1"), line("a") + "\n");
        assertThat(names(staging)).containsExactlyInAnyOrder("1", "2", "3", "4", "pending-4");

        try (StagedRun<String> run = run(file, OptionalLong.of(2))) {
            // 1 is committed, 3 and 4 belong to checkpoints after the restored one, pending-4 to
            // no checkpoint; only 2 may still be committed.
            assertThat(names(staging)).containsExactly("2");
            run.complete(of2);
            assertThat(staging).isEmptyDirectory();
        }
        assertThat(lines(file)).containsExactly(line("a"), line("b"));
    }

    @Test
    void aMissingStagingFileOfAnUncommittedCheckpointFailsTheCommit() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            List<StagedLines> staged = run.write("a").barrier(1);
            Files.delete(CommittedLinesFile.stagingFile(file, 1));

            assertThatThrownBy(() -> run.complete(staged))
                    .isInstanceOf(UnrecoverableFailure.class)
                    .hasMessageContaining("checkpoint 1");
        }
    }

    @Test
    void outputOfAVersionWithoutCommitLogIsKeptOnItsFirstRestore() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.write(file, List.of(line("earlier version")));

        try (StagedRun<String> run = run(file, OptionalLong.of(7))) {
            run.write("a").checkpoint(8);
        }

        assertThat(lines(file)).containsExactly(line("earlier version"), line("a"));
    }

    @Test
    void anOutputShorterThanItsLogRefusesToResume() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (StagedRun<String> run = run(file, OptionalLong.empty())) {
            run.write("a").checkpoint(1);
        }
        Files.write(file, new byte[0]);

        assertThatThrownBy(() -> run(file, OptionalLong.of(1)))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageContaining("changed outside the job");
    }

    @Test
    void countsRecordsWritten() throws Exception {
        try (StagedRun<String> run = run(dir.resolve("metrics.jsonl"), OptionalLong.empty())) {
            run.write("a", "b", "c");

            assertThat(run.metrics().getCounter(JsonLinesFileSink.RECORDS_WRITTEN_METRIC))
                    .hasValueSatisfying(counter -> assertThat(counter.getCount()).isEqualTo(3));
        }
    }

    @Test
    void refusesALineBreakInsideARecord() throws Exception {
        JsonLinesFileSink<String> sink =
                JsonLinesFileSink.forPath(dir.resolve("bad.jsonl"), value -> "{\n}");

        try (StagedRun<String> run = new StagedRun<>(sink, OptionalLong.empty())) {
            assertThatThrownBy(() -> run.write("a"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("line break");
        }
    }

    @Test
    void refusesToRunWithParallelismAboveOne() {
        JsonLinesFileSink<String> sink = JsonLinesFileSink.forPath(dir.resolve("m.jsonl"), QUOTED);

        assertThatThrownBy(() -> sink.createWriter(new TestWriterInitContext(metrics, 0, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must run with parallelism 1")
                .hasMessageContaining("subtask 0 of 2");
        assertThatThrownBy(() -> sink.createWriter(new TestWriterInitContext(metrics, 1, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("subtask 1 of 2");
        assertThat(dir.resolve("m.jsonl")).doesNotExist();
    }

    @Test
    void resolvesARelativePathOnTheClient() {
        JsonLinesFileSink<String> sink =
                JsonLinesFileSink.forPath(Path.of("target/out/metrics.jsonl"), QUOTED);

        assertThat(sink.file()).isAbsolute().endsWithRaw(Path.of("target/out/metrics.jsonl"));
    }

    @Test
    void stagedLinesSurviveTheirSerializer() throws Exception {
        StagedLines.Serializer serializer = StagedLines.Serializer.INSTANCE;
        StagedLines staged = new StagedLines(Long.MAX_VALUE - 1);

        assertThat(serializer.deserialize(1, serializer.serialize(staged))).isEqualTo(staged);
        assertThatThrownBy(() -> serializer.deserialize(2, serializer.serialize(staged)))
                .isInstanceOf(IOException.class);
    }

    private static StagedRun<String> run(Path file, OptionalLong restored) throws IOException {
        return new StagedRun<>(sink(file), restored);
    }

    private static JsonLinesFileSink<String> sink(Path file) {
        return JsonLinesFileSink.forPath(file, QUOTED);
    }

    private static String line(String value) {
        return QUOTED.encode(value);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static List<String> names(Path directory) throws IOException {
        try (var paths = Files.list(directory)) {
            return paths.map(path -> path.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
