package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.job.ConsoleRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} as a user runs it, on a small stream: the whole job on its own mini-cluster, the
 * figures printed and written as JSON. The replay holds its last records until a first checkpoint
 * has completed, so the checkpoint figures are there however fast the machine is.
 */
class BenchCommandITCase {
    @TempDir Path dir;

    @Test
    void benchMeasuresTheWholeJobAndWritesEveryFigure() throws Exception {
        Path output = dir.resolve("bench.json");
        ConsoleRun command =
                ConsoleRun.execute(
                        "bench",
                        "--events",
                        "20001",
                        "--parallelism",
                        "2",
                        "--checkpoint-interval",
                        "1s",
                        "--output",
                        output.toString());
        String printed = command.printed();
        assertThat(command.exit()).as(command.errors()).isZero();
        assertThat(printed)
                .contains("Generated 20,000 events")
                .contains("20 features")
                .contains("events/s sustained")
                .contains("Figures written to");

        JsonNode json = new ObjectMapper().readTree(output.toFile());
        assertThat(json.fieldNames())
                .toIterable()
                .contains(
                        "events_per_second",
                        "cpu_percent",
                        "operators",
                        "heap_bytes",
                        "state_bytes",
                        "checkpoint_bytes",
                        "checkpoint_ms",
                        "machine");
        assertThat(json.get("events").asLong()).isEqualTo(20_000);
        assertThat(json.get("events_read").asLong()).isEqualTo(20_000);
        assertThat(json.get("features").asInt()).isEqualTo(20);
        assertThat(json.get("events_per_second").asDouble()).isPositive();
        assertThat(json.get("cpu_percent").asDouble()).isPositive();
        assertThat(json.get("heap_bytes").asLong()).isPositive();
        assertThat(json.get("metric_points").asLong()).isPositive();

        List<String> operators = new ArrayList<>();
        json.get("operators").fieldNames().forEachRemaining(operators::add);
        assertThat(operators)
                .anyMatch(name -> name.contains("Parse events"))
                .anyMatch(name -> name.contains("Attribute feedback to predictions"))
                .anyMatch(name -> name.contains("Rolling drift against the reference"))
                .anyMatch(name -> name.contains("Alarm engine"));
        for (JsonNode op : json.get("operators")) {
            assertThat(op.get("busy_ms_per_second").asDouble()).isBetween(0.0, 1000.0);
        }
        // Attribution's task: the funnel's pre-aggregation is chained to it.
        String attributionTask =
                operators.stream()
                        .filter(n -> n.startsWith("Attribute feedback to predictions"))
                        .findFirst()
                        .orElseThrow();
        JsonNode attribution = json.get("operators").get(attributionTask);
        assertThat(attribution.get("records_in").asLong()).isEqualTo(20_000);
        assertThat(attribution.get("busy_ms_per_second").asDouble()).isPositive();

        assertThat(json.get("checkpoints_completed").asLong()).isPositive();
        assertThat(json.get("state_bytes").asLong()).isPositive();
        assertThat(json.get("checkpoint_bytes").asLong()).isPositive();
        assertThat(json.get("checkpoint_ms").isNumber()).isTrue();
        assertThat(json.get("machine").get("cores").asInt()).isPositive();
        assertThat(json.get("machine").get("memory_bytes").asLong()).isPositive();
        assertThat(json.get("machine").get("jvm").asText()).isNotEmpty();
    }

    @Test
    void withTheDashboardTheJobWritesTheFilesAndAClientAsksAsThePageDoes() throws Exception {
        Path output = dir.resolve("bench-dashboard.json");
        ConsoleRun command =
                ConsoleRun.execute(
                        "bench",
                        "--events",
                        "20001",
                        "--checkpoint-interval",
                        "1s",
                        "--outputs",
                        "dashboard",
                        "--output",
                        output.toString());
        assertThat(command.exit()).as(command.errors()).isZero();
        assertThat(command.printed())
                .contains("outputs dashboard (records written to the files of a local run, served")
                .contains("requests for data.json");

        JsonNode json = new ObjectMapper().readTree(output.toFile());
        assertThat(json.get("outputs").asText()).isEqualTo("dashboard");
        JsonNode dashboard = json.get("dashboard");
        // The first question comes before the job starts, so at least one is answered in full.
        assertThat(dashboard.get("requests").asLong()).isPositive();
        assertThat(dashboard.get("full_answers").asLong()).isPositive();
        assertThat(dashboard.get("failed_requests").asLong()).isZero();
        assertThat(dashboard.get("poll_interval_ms").asLong()).isEqualTo(2000);
        assertThat(dashboard.get("cpu_seconds").asDouble()).isPositive();
        assertThat(json.get("metric_points").asLong()).isPositive();
    }
}
