package io.recsys.monitor.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a JVM of its own, as a user starts it: what it printed, its exit status, and
 * a way to kill it as a crash would (SIGKILL: no shutdown hook, no flush). Its classpath is the
 * test's.
 */
final class MonitorProcess {
    private final Process process;
    private final Path console;

    private MonitorProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /** Starts {@code args}, stdout and stderr both into {@code console}. */
    static MonitorProcess start(Path console, List<String> args) throws IOException {
        return start(console, null, args);
    }

    /** Starts {@code args}, stdout into {@code console}, stderr into {@code errors} if not null. */
    static MonitorProcess start(Path console, Path errors, List<String> args) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx768m");
        for (String module : LauncherJvm.OPENS) {
            command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RecsysMonitor.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(console.toFile());
        if (errors == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(errors.toFile());
        }
        return new MonitorProcess(builder.start(), console);
    }

    /** Waits for the exit status; fails with the console's text after {@code timeout}. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            killHard();
            throw new AssertionError(
                    "no exit within " + timeout + "; the console said:\n" + console());
        }
        return process.exitValue();
    }

    /** Whether it still runs after waiting up to {@code time}. */
    boolean runsAfter(Duration time) throws InterruptedException {
        return !process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills it as a crash would: SIGKILL, then waits until it is gone. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Interrupts it as Ctrl-C in its terminal would (SIGINT). */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT " + process.pid() + " failed");
        }
    }

    /** What it printed so far. */
    String console() throws IOException {
        return Files.readString(console, StandardCharsets.UTF_8);
    }
}
