package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSinkTest {

    private static final RecordEncoder<String> QUOTED = value -> "{\"v\":\"" + value + "\"}";

    @TempDir Path dir;

    private final MetricListener metrics = new MetricListener();

    @Test
    void createsParentDirectoriesAndWritesOneLinePerRecord() throws Exception {
        Path file = dir.resolve("out/run-1/metrics.jsonl");

        try (JsonLinesFileWriter<String> writer = openWriter(file)) {
            writer.write("a", null);
            writer.write("é", null);
            writer.flush(true);
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly("{\"v\":\"a\"}", "{\"v\":\"é\"}");
    }

    @Test
    void everyLineReachesTheFileAsItIsWritten() throws Exception {
        Path file = dir.resolve("metrics.jsonl");

        try (JsonLinesFileWriter<String> writer = openWriter(file)) {
            writer.write("a", null);
            // Visible to a reader (tail -f, a test) before any checkpoint flush.
            assertThat(Files.readAllLines(file)).containsExactly("{\"v\":\"a\"}");

            writer.write("b", null);
            writer.flush(false);
            assertThat(Files.readAllLines(file)).containsExactly("{\"v\":\"a\"}", "{\"v\":\"b\"}");
        }
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.write(file, List.of("{\"v\":\"earlier run\"}"));

        try (JsonLinesFileWriter<String> writer = openWriter(file)) {
            writer.write("a", null);
        }
        // A restarted run gets a new writer with its own metric group.
        try (JsonLinesFileWriter<String> writer = openWriter(file, new MetricListener())) {
            writer.write("b", null);
        }

        assertThat(Files.readAllLines(file))
                .containsExactly("{\"v\":\"earlier run\"}", "{\"v\":\"a\"}", "{\"v\":\"b\"}");
    }

    @Test
    void countsRecordsWritten() throws Exception {
        try (JsonLinesFileWriter<String> writer = openWriter(dir.resolve("metrics.jsonl"))) {
            writer.write("a", null);
            writer.write("b", null);
            writer.write("c", null);
        }

        assertThat(metrics.getCounter(JsonLinesFileSink.RECORDS_WRITTEN_METRIC))
                .hasValueSatisfying(counter -> assertThat(counter.getCount()).isEqualTo(3));
    }

    @Test
    void refusesALineBreakInsideARecord() throws Exception {
        JsonLinesFileSink<String> sink =
                JsonLinesFileSink.forPath(dir.resolve("bad.jsonl"), value -> "{\n}");

        try (JsonLinesFileWriter<String> writer = open(sink, metrics)) {
            assertThatThrownBy(() -> writer.write("a", null))
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

    private JsonLinesFileWriter<String> openWriter(Path file) throws IOException {
        return openWriter(file, metrics);
    }

    private static JsonLinesFileWriter<String> openWriter(Path file, MetricListener listener)
            throws IOException {
        return open(JsonLinesFileSink.forPath(file, QUOTED), listener);
    }

    // The concrete type, whose close() cannot throw InterruptedException, suits try-with-resources.
    private static JsonLinesFileWriter<String> open(
            JsonLinesFileSink<String> sink, MetricListener listener) throws IOException {
        return (JsonLinesFileWriter<String>)
                sink.createWriter(new TestWriterInitContext(listener, 0, 1));
    }
}
