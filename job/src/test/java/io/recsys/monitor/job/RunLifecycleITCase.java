package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.job.lifecycle.RetainedState;
import io.recsys.monitor.job.lifecycle.RunManifest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local run's life as a user lives it, the command line in a child JVM with the launcher's log
 * configuration: killed with {@code kill -9} it resumes from its newest checkpoint (Flink's REST
 * API says what it restored); stopped with Ctrl-C it leaves a savepoint, says how to resume and
 * resumes from it; a second run on a busy output directory or a taken port ends at once with one
 * line and touches nothing; a bounded replay binds no web UI port; help writes no log.
 */
@EnabledOnOs(OS.LINUX)
class RunLifecycleITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    @TempDir Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledRunResumesFromItsCheckpointAndAStoppedOneFromItsSavepoint() throws Exception {
        Path output = dir.resolve("out");
        int port = freePort();
        String[] live = {
            "run",
            "--output",
            output.toString(),
            "--set",
            "job.web-ui-port=" + port,
            "--set",
            "job.parallelism=1",
            "--set",
            "job.checkpoint-interval=1s"
        };

        Process first = start("first", live);
        Path checkpoint = awaitCompleteCheckpoint(first, output);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(RunManifest.read(output).orElseThrow().state)
                .isEqualTo(RunManifest.State.RUNNING);

        Process second = start("second", live);
        String resumed = awaitLine(second, "second", l -> l.contains("web UI on"));
        assertThat(resumed)
                .contains("Resuming the unfinished run in " + output)
                .contains("from checkpoint " + output.resolve("checkpoints"));
        JsonNode restored = awaitRestoredCheckpoint(port);
        Path restoredPath = Paths.get(URI.create(restored.get("external_path").asText()));
        assertThat(restoredPath.getParent()).isEqualTo(checkpoint.getParent());
        assertThat(restoredPath.getFileName().toString())
                .as("the newest complete checkpoint at the kill, or a later one")
                .matches("chk-[0-9]+");
        assertThat(restored.get("id").asLong()).isGreaterThanOrEqualTo(checkpointId(checkpoint));
        assertThat(logLines(output, "event=run_starting")).hasSize(2);

        // Ctrl-C: a savepoint and a summary line that says how to resume.
        interrupt(second);
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).as(output("second")).isTrue();
        assertThat(second.exitValue()).as(output("second")).isZero();
        String summary =
                Files.readAllLines(dir.resolve("second.txt")).stream()
                        .filter(l -> l.startsWith("Stopped after"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(output("second")));
        assertThat(summary).contains("run the same command to resume");
        RunManifest stopped = RunManifest.read(output).orElseThrow();
        assertThat(stopped.state).isEqualTo(RunManifest.State.STOPPED);
        assertThat(RetainedState.isComplete(Paths.get(stopped.lastSavepoint))).isTrue();
        assertThat(Paths.get(stopped.lastSavepoint).getParent())
                .isEqualTo(output.resolve("savepoints"));
        assertThat(summary).contains(stopped.lastSavepoint);

        Process third = start("third", live);
        assertThat(awaitLine(third, "third", l -> l.contains("web UI on")))
                .contains("from savepoint " + stopped.lastSavepoint);
        JsonNode fromSavepoint = awaitRestoredCheckpoint(port);
        assertThat(Paths.get(URI.create(fromSavepoint.get("external_path").asText())))
                .isEqualTo(Paths.get(stopped.lastSavepoint));
    }

    @Test
    void aSecondRunOnABusyDirectoryOrATakenPortEndsAtOnceTouchingNothing() throws Exception {
        Path output = dir.resolve("out");
        int port = freePort();
        Process first =
                start(
                        "first",
                        "run",
                        "--output",
                        output.toString(),
                        "--set",
                        "job.web-ui-port=" + port,
                        "--set",
                        "job.parallelism=1",
                        "--set",
                        "job.checkpoint-interval=1s");
        awaitCompleteCheckpoint(first, output);
        // Held still, the first run changes no file while the second one tries.
        signal(first, "STOP");
        try {
            Map<Path, String> before = snapshot(output);
            long started = System.nanoTime();
            Process busy = start("busy", "run", "--output", output.toString());
            assertThat(busy.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(busy.exitValue()).isEqualTo(1);
            assertThat(Files.readAllLines(dir.resolve("busy.txt")))
                    .containsExactly(
                            "recsys-monitor: output directory "
                                    + output
                                    + " is in use by another run (pid "
                                    + first.pid()
                                    + "); stop it or choose another --output");
            assertThat(snapshot(output)).isEqualTo(before);

            Path other = dir.resolve("other");
            started = System.nanoTime();
            Process taken =
                    start(
                            "taken",
                            "run",
                            "--output",
                            other.toString(),
                            "--set",
                            "job.web-ui-port=" + port);
            assertThat(taken.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The refusal comes right after the lock; the rest is the JVM's start, which a
            // machine shared by several builds stretches well beyond its few seconds of CPU.
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(taken.exitValue()).isEqualTo(1);
            assertThat(Files.readAllLines(dir.resolve("taken.txt")))
                    .containsExactly(
                            "recsys-monitor: port "
                                    + port
                                    + " on 127.0.0.1 is in use; choose another with --set"
                                    + " job.web-ui-port=PORT (0 picks a free one)");
            assertThat(other.resolve(RunManifest.FILE)).doesNotExist();
        } finally {
            signal(first, "CONT");
        }
    }

    @Test
    void aBoundedReplayBindsNoWebUiPortAndHelpWritesNoLog() throws Exception {
        // Were the replay to bind the default web UI port, it would find it taken and fail.
        try (ServerSocket taken = takeDefaultPort()) {
            Path output = dir.resolve("replay");
            Process replay =
                    start(
                            "replay",
                            "run",
                            "--output",
                            output.toString(),
                            "--set",
                            "generator.max-events=2000",
                            "--set",
                            "job.parallelism=1");
            assertThat(replay.waitFor(180, TimeUnit.SECONDS)).as(output("replay")).isTrue();
            assertThat(replay.exitValue()).as(output("replay")).isZero();
            assertThat(output("replay")).contains("no web UI").contains("Replay finished");
            assertThat(RunManifest.read(output).orElseThrow().state)
                    .isEqualTo(RunManifest.State.FINISHED);
            assertThat(logLines(output, "event=run_finished")).hasSize(1);
        }

        Path quiet = Files.createDirectories(dir.resolve("quiet"));
        Process help = start(quiet, "help", "run", "--help");
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(output("help")).contains("--from-savepoint");
        try (Stream<Path> files = Files.list(quiet)) {
            assertThat(files).isEmpty();
        }
    }

    private Process start(String name, String... args) throws IOException {
        return start(dir, name, args);
    }

    /** The command line in a child JVM with the launcher's log configuration, cwd {@code cwd}. */
    private Process start(Path cwd, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String module :
                new String[] {
                    "java.lang", "java.util", "java.lang.reflect", "java.io", "java.net", "java.nio"
                }) {
            command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
        }
        command.add(
                "-Dlog4j.configurationFile="
                        + Paths.get("conf", "log4j2-local.xml").toAbsolutePath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RecsysMonitor.class.getName());
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .directory(cwd.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".txt").toFile())
                        .start();
        children.add(process);
        return process;
    }

    private String output(String name) {
        try {
            return Files.readString(dir.resolve(name + ".txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String awaitLine(Process process, String name, Predicate<String> wanted)
            throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(output(name)).isTrue();
            String text = output(name);
            if (text.lines().anyMatch(wanted)) {
                return text;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no such line within " + START_TIMEOUT + ": " + output(name));
    }

    /** Polls until the run's checkpoint directory holds a complete checkpoint. */
    private static Path awaitCompleteCheckpoint(Process process, Path output) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).isTrue();
            Optional<RunManifest> manifest = readQuietly(output);
            if (manifest.isPresent()) {
                Optional<Path> checkpoint =
                        RetainedState.newestCheckpoint(
                                Paths.get(manifest.get().checkpointDir)
                                        .resolve(manifest.get().jobId));
                if (checkpoint.isPresent()) {
                    return checkpoint.get();
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no complete checkpoint within " + START_TIMEOUT);
    }

    private static Optional<RunManifest> readQuietly(Path output) {
        try {
            return RunManifest.read(output);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long checkpointId(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }

    /** The "restored" entry of the running job's checkpoint statistics, once there is one. */
    private JsonNode awaitRestoredCheckpoint(int port) throws Exception {
        String base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode jobs = getQuietly(base + "/jobs");
            if (jobs != null) {
                for (JsonNode job : jobs.get("jobs")) {
                    if (job.get("status").asText().equals("RUNNING")) {
                        JsonNode stats =
                                getQuietly(
                                        base + "/jobs/" + job.get("id").asText() + "/checkpoints");
                        JsonNode restored =
                                stats == null ? null : stats.path("latest").get("restored");
                        if (restored != null && !restored.isNull()) {
                            return restored;
                        }
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no restored checkpoint reported within " + START_TIMEOUT);
    }

    private JsonNode getQuietly(String url) throws InterruptedException {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> logLines(Path output, String event) throws IOException {
        try (Stream<String> lines =
                Files.lines(output.resolve("logs").resolve("recsys-monitor.log"))) {
            return lines.filter(l -> l.contains(event)).collect(Collectors.toList());
        }
    }

    /** Every file under {@code root} with its size, modification time and content hash. */
    private static Map<Path, String> snapshot(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    files.put(
                            root.relativize(path),
                            Files.size(path)
                                    + " "
                                    + Files.getLastModifiedTime(path).toMillis()
                                    + " "
                                    + java.util.Arrays.hashCode(Files.readAllBytes(path)));
                }
            }
        }
        return files;
    }

    /**
     * Ctrl-C: SIGINT, unless the child inherited it ignored (a background job of a shell), in which
     * case SIGTERM, which the run handles alike.
     */
    private static void interrupt(Process process) throws Exception {
        String status =
                Files.readString(Paths.get("/proc", Long.toString(process.pid()), "status"));
        long ignored =
                status.lines()
                        .filter(l -> l.startsWith("SigIgn:"))
                        .map(l -> Long.parseLong(l.substring("SigIgn:".length()).trim(), 16))
                        .findFirst()
                        .orElse(0L);
        boolean intIgnored = (ignored & (1L << (2 - 1))) != 0;
        signal(process, intIgnored ? "TERM" : "INT");
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The default web UI port held by this test, or by someone else already. */
    private static ServerSocket takeDefaultPort() {
        try {
            return new ServerSocket(8081, 1, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            // Taken by another process: as good for this test.
            return null;
        }
    }
}
