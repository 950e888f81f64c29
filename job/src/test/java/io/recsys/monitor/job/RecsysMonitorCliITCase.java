package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: generate a stream, replay it, read the outputs. */
class RecsysMonitorCliITCase {

    @TempDir Path dir;

    /** Runs a command and returns its exit code with what it printed. */
    private static String[] run(String... args) {
        ConsoleRun run = ConsoleRun.execute(args);
        return new String[] {Integer.toString(run.exit()), run.printed(), run.errors()};
    }

    @Test
    void generateThenReplayEndsWithASummaryAndTheLowCtrAlert() throws Exception {
        Path events = dir.resolve("events.jsonl");
        String[] gen =
                run(
                        "generate",
                        "--output",
                        events.toString(),
                        "--events",
                        "200000",
                        "--scenario",
                        "ctr-drop@2026-01-01T02:00:00Z",
                        "--scenario",
                        "malformed-events@2026-01-01T01:00:00Z");
        assertThat(gen[0]).as(gen[2]).isEqualTo("0");
        assertThat(gen[1]).contains("Wrote 200000 events");
        assertThat(Files.lines(events).count()).isEqualTo(200_000);

        Path out = dir.resolve("out");
        String[] replay =
                run(
                        "run",
                        "--input",
                        events.toString(),
                        "--output",
                        out.toString(),
                        "--set",
                        "job.web-ui-port=0",
                        "--set",
                        "job.parallelism=2");
        assertThat(replay[0]).as(replay[2]).isEqualTo("0");
        assertThat(replay[1])
                .contains("Replay finished")
                .contains("200000 events read")
                .contains("metric points")
                .containsPattern("[1-9]\\d* invalid");

        List<String> metrics = Files.readAllLines(out.resolve(LocalOutputs.METRICS_FILE));
        assertThat(metrics).isNotEmpty();
        List<Alert> alerts =
                Files.readAllLines(out.resolve(LocalOutputs.ALERTS_FILE)).stream()
                        .map(AlertJson::decode)
                        .collect(Collectors.toList());
        // CTR falls from about 3.5 % to about 1.4 % at 02:00: three critical hours later, the
        // overall low-CTR alarm fires at the end of the 04:00-05:00 window.
        assertThat(alerts)
                .anySatisfy(
                        a -> {
                            assertThat(a.dimensions).isEmpty();
                            assertThat(a.alarmName).isEqualTo("recommendation-low-ctr");
                            assertThat(a.severity).isEqualTo("critical");
                            assertThat(a.time)
                                    .isEqualTo(
                                            java.time.Instant.parse("2026-01-01T05:00:00Z")
                                                    .toEpochMilli());
                        });
        assertThat(Files.readAllLines(out.resolve(LocalOutputs.DEAD_LETTER_FILE))).isNotEmpty();
    }

    @Test
    void anUnknownKeyStopsStartUpNamingIt() {
        String[] result = run("run", "--set", "metrics.windw=1h");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("Unknown configuration key 'metrics.windw'");
    }

    @Test
    void anUnknownScenarioIsNamed() {
        String[] result =
                run(
                        "generate",
                        "--output",
                        dir.resolve("x.jsonl").toString(),
                        "--events",
                        "10",
                        "--scenario",
                        "meteor");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("meteor").contains("ctr-drop");
    }

    @Test
    void helpListsTheOptionsOfEachCommand() {
        assertThat(run("run", "--help")[1])
                .contains("--input", "--follow", "--output", "--config", "--set");
        assertThat(run("generate", "--help")[1]).contains("--events", "--seed", "--scenario");
        assertThat(run("--help")[1]).contains("run", "generate");
    }
}
