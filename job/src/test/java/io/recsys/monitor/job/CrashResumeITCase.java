package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
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
    private static LaterFile tail;

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

        tail = LaterFile.after(events, shared.resolve("later.jsonl"));

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

    /**
     * A followed directory (event time from the data, so that the output does not depend on the
     * clock): the run is killed at random points while it reads the file there, started again each
     * time; then a later file is dropped in (written under a hidden name and renamed, as producers
     * must), which moves event time past the first file's windows, and the run is stopped with
     * Ctrl-C. Up to that point in event time it wrote exactly what a run that was never killed
     * writes.
     */
    @Test
    void aFollowedDirectoryKilledAtRandomPointsAndResumedWritesWhatAnUninterruptedOneWrites()
            throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path followed = dir.resolve("followed");
        Files.createDirectories(followed);
        Files.copy(events, followed.resolve("events-1.jsonl"));

        FollowedRun uninterrupted = new FollowedRun(followed, dir.resolve("uninterrupted"));
        uninterrupted.finish(dir.resolve("uninterrupted.log"));
        Files.delete(followed.resolve("events-2.jsonl"));

        FollowedRun crashed = new FollowedRun(followed, dir.resolve("crashed"));
        List<String> kills = new ArrayList<>();
        for (int attempt = 0; attempt < KILLS; attempt++) {
            MonitorProcess run =
                    MonitorProcess.start(
                            dir.resolve("attempt-" + attempt + ".log"), crashed.command());
            long delay = 1_500 + random.nextInt(8_000);
            assertThat(run.runsAfter(Duration.ofMillis(delay)))
                    .as("a followed directory is read until stopped: %s", run.console())
                    .isTrue();
            run.killHard();
            kills.add(delay + " ms");
        }
        crashed.finish(dir.resolve("final-attempt.log"));

        RunOutputs expected = RunOutputs.read(uninterrupted.output, tail.cut);
        assertThat(expected.count(RunOutputs.FILES.get(0))).isGreaterThan(1000);
        assertThat(RunOutputs.read(crashed.output, tail.cut).differencesFrom(expected))
                .as("seed %d, killed after %s", seed, kills)
                .isEmpty();
    }

    /** A run following a directory, finished by a later file and Ctrl-C. */
    private static final class FollowedRun {
        final Path directory;
        final Path output;

        FollowedRun(Path directory, Path output) {
            this.directory = directory;
            this.output = output;
        }

        List<String> command() {
            return List.of(
                    "run",
                    "--input",
                    directory.toString(),
                    "--follow",
                    "--reference",
                    reference.toString(),
                    "--output",
                    output.toString(),
                    "--set",
                    "source.live=false",
                    "--set",
                    "source.monitor-interval=1s",
                    // One reader takes the files one after the other, in the order they appear.
                    "--set",
                    "job.parallelism=1",
                    "--set",
                    "job.checkpoint-interval=1s",
                    "--set",
                    "job.web-ui-port=0",
                    "--set",
                    "output.console-alerts=false");
        }

        /**
         * Starts the run, waits until it has written from the first file, drops the later file in,
         * waits until event time has passed the cut by half an hour (the health windows' allowed
         * lateness is 10 minutes), and stops the run with Ctrl-C.
         */
        void finish(Path console) throws Exception {
            MonitorProcess run = MonitorProcess.start(console, command());
            try {
                finish(run);
            } finally {
                run.killHard();
            }
        }

        private void finish(MonitorProcess run) throws Exception {
            awaitMetric(run, Long.MIN_VALUE);
            Path hidden = directory.resolve(".events-2.jsonl.tmp");
            Files.copy(tail.file, hidden);
            Files.move(hidden, directory.resolve("events-2.jsonl"), StandardCopyOption.ATOMIC_MOVE);
            awaitMetric(run, tail.cut + 1_800_000L);
            run.interrupt();
            assertThat(run.awaitExit(RUN_TIMEOUT)).as(run.console()).isZero();
        }

        /**
         * Polls metrics.jsonl until it holds a point of a window ending at or after {@code end}.
         */
        private void awaitMetric(MonitorProcess run, long end) throws Exception {
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (RunOutputs.latestWindowEnd(output) < Math.max(end, Long.MIN_VALUE + 1)) {
                assertThat(run.runsAfter(Duration.ofMillis(200))).as(run.console()).isTrue();
                assertThat(System.nanoTime()).as(run.console()).isLessThan(deadline);
            }
        }
    }

    /**
     * Traffic that starts a second after the last event of a file: its first event time is the cut.
     */
    private static final class LaterFile {
        final Path file;
        final long cut;

        private LaterFile(Path file, long cut) {
            this.file = file;
            this.cut = cut;
        }

        static LaterFile after(Path events, Path file) throws Exception {
            long last = RunOutputs.latestEventTime(events);
            long cut = last + 1_000;
            succeed(
                    "generate",
                    "--output",
                    file.toString(),
                    "--events",
                    "30000",
                    "--seed",
                    "11",
                    "--set",
                    "generator.start-time=" + Instant.ofEpochMilli(cut));
            return new LaterFile(file, cut);
        }
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
