package io.recsys.monitor.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * A command of the application run in this JVM as a user types it, with what it printed: its exit
 * status, its standard output (the tables and summaries a user reads) and picocli's error stream
 * (usage and failure messages, for assertion messages). Unlike {@link LauncherJvm} and {@link
 * MonitorProcess} it starts no process: the command runs on the test's classpath, and a
 * mini-cluster it starts runs in the test's JVM.
 */
public final class ConsoleRun {
    private final int exit;
    private final String printed;
    private final String errors;

    private ConsoleRun(int exit, String printed, String errors) {
        this.exit = exit;
        this.printed = printed;
        this.errors = errors;
    }

    /**
     * Runs {@code args} to the end. It takes over {@code System.out}, which is the whole JVM's,
     * while the command runs: two runs must not overlap.
     */
    public static ConsoleRun execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream previous = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = RecsysMonitor.commandLine();
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new ConsoleRun(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** The exit status: 0 on success. */
    public int exit() {
        return exit;
    }

    /** What the command printed on standard output. */
    public String printed() {
        return printed;
    }

    /** What it wrote on its error stream. */
    public String errors() {
        return errors;
    }
}
