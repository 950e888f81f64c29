package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileWriterTest {

    @Test
    void writesOneEventPerLineIntoNewDirectories(@TempDir Path dir) throws Exception {
        GeneratorSettings settings = TrafficSimulatorTest.settings();
        Path file = dir.resolve("a/b/events.jsonl");

        long written = EventFileWriter.write(file, new TrafficSimulator(settings), 1_000);

        assertThat(written).isEqualTo(1_000);
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").doesNotContain("\r");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1_000);
        TrafficSimulator sim = new TrafficSimulator(settings);
        for (String line : lines) {
            assertThat(line).isEqualTo(sim.next().json);
        }
    }

    @Test
    void writesNothingForZeroEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.jsonl");
        TrafficSimulator simulator = new TrafficSimulator(TrafficSimulatorTest.settings());
        assertThat(EventFileWriter.write(file, simulator, 0)).isZero();
        assertThat(Files.size(file)).isZero();
    }
}
