package io.recsys.monitor.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the application in a child JVM started as {@code bin/recsys-monitor} starts it: the
 * same JVM options, the same log configuration, and exactly the launcher's classpath ({@code
 * job/target/classes} and {@code job/target/local-classpath.txt}, written at {@code package}), not
 * the test's classpath, which holds test-scoped libraries the launcher lacks. Or, as a Flink
 * cluster runs the application jar: the provided Flink runtime and logging ({@code
 * job/target/flink-runtime-classpath.txt}) and the application jar alone for our code and its
 * libraries. Standard output and standard error go to files of their own.
 */
public final class LauncherJvm implements AutoCloseable {
    /** The packages of java.base that bin/recsys-monitor opens. */
    static final List<String> OPENS =
            List.of(
                    "java.lang",
                    "java.util",
                    "java.lang.reflect",
                    "java.io",
                    "java.net",
                    "java.nio",
                    "java.time",
                    "java.util.concurrent",
                    "java.util.concurrent.atomic",
                    "sun.nio.ch");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private LauncherJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code args} in {@code dir}, which also holds the log and the two output files. */
    public static LauncherJvm start(Path dir, String name, List<String> args) throws IOException {
        return start(
                dir,
                name,
                moduleRoot().resolve("target/classes")
                        + java.io.File.pathSeparator
                        + classpathFile("local-classpath.txt"),
                args);
    }

    /**
     * Starts {@code args} with the application jar on the classpath of a Flink cluster: the
     * provided runtime and logging, and nothing of ours or of our libraries but {@code jar}.
     */
    public static LauncherJvm startOnFlinkRuntime(
            Path dir, String name, Path jar, List<String> args) throws IOException {
        return start(
                dir,
                name,
                classpathFile("flink-runtime-classpath.txt") + java.io.File.pathSeparator + jar,
                args);
    }

    private static String classpathFile(String name) throws IOException {
        Path classpathFile = moduleRoot().resolve("target").resolve(name);
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(
                    classpathFile + " is missing: it is written at the package phase");
        }
        return Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
    }

    private static LauncherJvm start(Path dir, String name, String classpath, List<String> args)
            throws IOException {
        Path root = moduleRoot().getParent();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String module : OPENS) {
            command.add("--add-opens=java.base/" + module + "=ALL-UNNAMED");
        }
        Path logDir = dir.resolve(name + "-logs");
        command.add("-Dlog4j.configurationFile=" + root.resolve("job/conf/log4j2-local.xml"));
        command.add("-Drecsys.log.dir=" + logDir);
        command.add("-Dlog.file=" + logDir.resolve("recsys-monitor.log"));
        command.add("-cp");
        command.add(classpath);
        command.add(RecsysMonitor.class.getName());
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        return new LauncherJvm(process, out, err);
    }

    /** The repository root, where the README's commands run. */
    public static Path repositoryRoot() {
        return moduleRoot().getParent();
    }

    /** The job module's directory: failsafe runs with it as the working directory. */
    private static Path moduleRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        return Files.isDirectory(dir.resolve("src/main/java/io/recsys/monitor/job"))
                ? dir
                : dir.resolve("job");
    }

    public Process process() {
        return process;
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Both outputs, for assertion messages. */
    public String outputs() {
        try {
            return "stdout: " + stdout() + "\nstderr: " + stderr();
        } catch (IOException e) {
            return "outputs unreadable: " + e;
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
