package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run killed at random points (SIGKILL of the whole local process: job manager, task manager and
 * all) and started again each time writes exactly what an uninterrupted run of the same input
 * writes: every metric point, alert, drift report and dead letter once, no torn line.
 *
 * <p>The kill points are random but seeded (the seed is in the failure message), so a failing
 * sequence can be replayed. What the test asserts holds wherever the kills land: before the first
 * checkpoint, during one, or between two.
 */
class CrashResumeITCase {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final int KILLS = Integer.getInteger("crash.kills", 4);

    @TempDir static Path shared;

    private static Path events;
    private static Path reference;
    private static RunOutputs uninterrupted;

    @TempDir Path dir;

    @BeforeAll
    static void uninterruptedReplay() throws Exception {
        events = shared.resolve("events.jsonl");
        reference = shared.resolve("reference.json");
        Path training = shared.resolve("training.jsonl");
        succeed("generate", "--output", training.toString(), "--events", "20000", "--seed", "7");
        succeed(
                "reference",
                "build",
                "--input",
                training.toString(),
                "--output",
                reference.toString());
        succeed(
                "generate",
                "--output",
                events.toString(),
                "--events",
                "150000",
                "--scenario",
                "ctr-drop@2026-01-01T02:00:00Z",
                "--scenario",
                "feature-drift@2026-01-01T01:00:00Z",
                "--scenario",
                "malformed-events@2026-01-01T00:30:00Z");

        Path output = shared.resolve("uninterrupted");
        MonitorProcess run =
                MonitorProcess.start(shared.resolve("uninterrupted.log"), replay(output));
        assertThat(run.awaitExit(RUN_TIMEOUT)).as(run.console()).isZero();
        uninterrupted = RunOutputs.read(output);
        assertThat(uninterrupted.count(RunOutputs.FILES.get(0))).isGreaterThan(1000);
        assertThat(uninterrupted.count(RunOutputs.FILES.get(1))).isPositive();
        assertThat(uninterrupted.count(RunOutputs.FILES.get(2))).isPositive();
        assertThat(uninterrupted.count(RunOutputs.FILES.get(3))).isPositive();
    }

    @Test
    void aReplayKilledAtRandomPointsAndResumedWritesWhatAnUninterruptedOneWrites()
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path output = dir.resolve("output");
        List<String> kills = new ArrayList<>();
        int exit = -1;
        for (int attempt = 0; exit < 0; attempt++) {
            Path console = dir.resolve("attempt-" + attempt + ".log");
            MonitorProcess run = MonitorProcess.start(console, replay(output));
            if (attempt < KILLS) {
                // From the JVM's start: some kills land before the first checkpoint.
                long delay = 1_500 + random.nextInt(8_000);
                if (run.runsAfter(Duration.ofMillis(delay))) {
                    run.killHard();
                    kills.add(delay + " ms");
                    continue;
                }
            }
            exit = run.awaitExit(RUN_TIMEOUT);
            assertThat(exit).as("seed %d, attempt %d: %s", seed, attempt, run.console()).isZero();
        }

        RunOutputs resumed = RunOutputs.read(output);
        assertThat(resumed.differencesFrom(uninterrupted))
                .as("seed %d, killed after %s", seed, kills)
                .isEmpty();
    }

    /** Runs a command in this JVM and asserts that it succeeds. */
    private static void succeed(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = RecsysMonitor.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
    }

    /** The replay command of this test: checkpoints every second, so that kills lose little. */
    private static List<String> replay(Path output) {
        return List.of(
                "run",
                "--input",
                events.toString(),
                "--reference",
                reference.toString(),
                "--output",
                output.toString(),
                "--set",
                "job.checkpoint-interval=1s",
                "--set",
                "output.console-alerts=false");
    }
}
