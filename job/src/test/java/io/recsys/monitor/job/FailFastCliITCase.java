package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each failure that no restart can heal ends {@code run} as a user sees it: in a JVM of its own
 * with the launcher's logging, exit status 1, one line on stderr naming the path and what is wrong,
 * no stack trace on the console. A failure found before the cluster starts ends the run within 10 s
 * (JVM start included); one found by the job ends it at its first failure, without a restart, once
 * the local cluster has started (which alone takes more than 10 s on a loaded 2-core machine).
 */
class FailFastCliITCase {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Duration WITH_CLUSTER = Duration.ofSeconds(40);

    @TempDir Path dir;

    private Path immutable;

    @AfterEach
    void makeWritableAgain() throws Exception {
        if (immutable != null) {
            new ProcessBuilder("chattr", "-i", immutable.toString()).start().waitFor();
        }
    }

    @Test
    void aMissingInput() throws Exception {
        Path input = dir.resolve("no-such-events.jsonl");
        assertFailsWithOneLine(
                LIMIT,
                "input " + input + " (--input, source.input) does not exist",
                "run",
                "--input",
                input.toString(),
                "--output",
                output());
    }

    @Test
    void anUnreadableInput() throws Exception {
        Path input = Files.writeString(dir.resolve("events.jsonl"), "{}\n");
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(input)) {
            // Root reads any file; /proc/self/mem opens but cannot be read, even by root.
            input = Paths.get("/proc/self/mem");
        }
        assertFailsWithOneLine(
                LIMIT,
                "input " + input + " (--input, source.input) cannot be read: ",
                "run",
                "--input",
                input.toString(),
                "--output",
                output());
    }

    @Test
    void aTruncatedCompressedInputEndsTheJobItStarted() throws Exception {
        Path input = dir.resolve("events.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(input))) {
            for (String line : TestEvents.craftedTraffic(TestEvents.T0)) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = Files.readAllBytes(input);
        Files.write(input, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertFailsWithOneLine(
                WITH_CLUSTER,
                "input file file:"
                        + input
                        + " is corrupt or truncated: its compressed data ends early",
                "run",
                "--input",
                input.toString(),
                "--output",
                output());
    }

    @Test
    void anOutputPathThatIsAFile() throws Exception {
        Path output = Files.writeString(dir.resolve("out"), "");
        assertFailsWithOneLine(
                LIMIT,
                "output directory " + output + " (--output, output.dir) is a file, not a directory",
                "run",
                "--input",
                input(),
                "--output",
                output.toString());
    }

    @Test
    void anUnwritableOutputDirectory() throws Exception {
        Path output = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(output, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(output)) {
            // Root writes anywhere, but not into an immutable directory.
            immutable = output;
            assertThat(new ProcessBuilder("chattr", "+i", output.toString()).start().waitFor())
                    .as("chattr +i")
                    .isZero();
        }
        assertFailsWithOneLine(
                LIMIT,
                "output directory " + output + " (--output, output.dir) is not writable: ",
                "run",
                "--input",
                input(),
                "--output",
                output.toString());
    }

    @Test
    void aBadReferenceFile() throws Exception {
        Path reference = Files.writeString(dir.resolve("reference.json"), "{\"format\": 1");
        assertFailsWithOneLine(
                LIMIT,
                "reference "
                        + reference
                        + " (--reference, drift.reference) is not a valid reference profile: ",
                "run",
                "--input",
                input(),
                "--reference",
                reference.toString(),
                "--output",
                output());
    }

    private String input() throws IOException {
        return Files.write(dir.resolve("events.jsonl"), TestEvents.craftedTraffic(TestEvents.T0))
                .toString();
    }

    private String output() {
        return dir.resolve("output").toString();
    }

    /** Runs the command line in a JVM of its own and checks how it ended. */
    private void assertFailsWithOneLine(Duration limit, String expectedStart, String... args)
            throws Exception {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String module :
                new String[] {
                    "java.lang", "java.util", "java.lang.reflect", "java.io", "java.net"
                }) {
            command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
        }
        // The launcher's logging (bin/recsys-monitor): what the console shows is what is tested.
        command.add(
                "-Dlog4j.configurationFile=" + Paths.get("conf/log4j2-local.xml").toAbsolutePath());
        command.add("-Drecsys.log.dir=" + dir.resolve("logs"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RecsysMonitor.class.getName());
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("--set", "job.web-ui-port=0", "--set", "job.parallelism=1"));

        long started = System.nanoTime();
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
        boolean ended = process.waitFor(limit.toSeconds() + 20, TimeUnit.SECONDS);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        String both = "stdout:\n" + out + "\nstderr:\n" + err;
        assertThat(ended).as("ended; " + both).isTrue();
        assertThat(process.exitValue()).as(both).isEqualTo(1);
        assertThat(err.lines()).as(both).hasSize(1);
        assertThat(err).as(both).startsWith("recsys-monitor: " + expectedStart);
        assertThat(both).as("no stack trace on the console").doesNotContain("\tat ", "Exception");
        assertThat(elapsed).as(both).isLessThan(limit);
        // A run that got as far as its output directory's lock logs there; before, where the JVM
        // was told.
        Path runLog = dir.resolve("output/logs/recsys-monitor.log");
        String log =
                Files.readString(
                        Files.exists(runLog) ? runLog : dir.resolve("logs/recsys-monitor.log"));
        assertThat(log).as("the log has the trace").contains("event=run_failed", "\\tat ");
        assertThat(log.split("switched from RUNNING to FAILED", -1).length - 1)
                .as("task failures: none or one, never a restart")
                .isLessThanOrEqualTo(1);
    }
}
