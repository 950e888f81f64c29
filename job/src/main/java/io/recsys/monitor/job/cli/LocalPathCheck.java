package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Checks the local paths a run needs before the cluster starts: the input exists and can be read,
 * the output directory is a directory that can be written, the reference profile parses. Each of
 * these failures is deterministic: found inside the job it would only fail a task, which Flink
 * restarts again and again; found here it ends the run with one line naming the path and the option
 * or key to fix ({@link UserError}).
 *
 * <p>Paths with a scheme other than {@code file:} (an {@code s3://} input on a cluster) are left to
 * the job: only the cluster can reach them.
 */
public final class LocalPathCheck {
    private LocalPathCheck() {}

    /** Throws a {@link UserError} for the first local path of {@code config} that cannot work. */
    public static void check(MonitorConfig config) {
        if ("file".equals(config.get(Settings.SOURCE_TYPE))) {
            input(config.get(Settings.SOURCE_INPUT));
        }
        if (!"aws".equals(config.get(Settings.SINKS_TYPE))) {
            outputDirectory(config.get(Settings.OUTPUT_DIR));
        }
        String reference = config.get(Settings.DRIFT_REFERENCE);
        if (!reference.isEmpty()) {
            reference(reference);
        }
    }

    /** The input file or directory: it exists, and a file yields its first byte. */
    static void input(String location) {
        String what = "input " + location + " (--input, source.input)";
        if (location.isEmpty()) {
            throw new UserError("no input given: the file source needs --input (source.input)");
        }
        Path path = local(location);
        if (path == null) {
            return;
        }
        if (!Files.exists(path)) {
            throw new UserError(what + " does not exist");
        }
        if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                entries.iterator().hasNext();
            } catch (IOException | RuntimeException e) {
                throw new UserError(what + " is a directory that cannot be listed: " + reason(e));
            }
            return;
        }
        if (!Files.isRegularFile(path)) {
            throw new UserError(what + " is neither a file nor a directory");
        }
        // Reading one byte, not asking for permissions: what the job will do, whoever runs it.
        try (InputStream in = Files.newInputStream(path)) {
            in.read();
        } catch (IOException e) {
            throw new UserError(what + " cannot be read: " + reason(e), e);
        }
    }

    /** The output directory: a directory (made if missing) in which a file can be created. */
    static void outputDirectory(String location) {
        String what = "output directory " + location + " (--output, output.dir)";
        Path path = Paths.get(location);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserError(what + " is a file, not a directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UserError(what + " cannot be created: " + reason(e), e);
        }
        // Creating a file is the only test that holds for every user (root ignores permissions,
        // not an immutable directory or a read-only file system).
        try {
            Path probe = Files.createTempFile(path, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UserError(what + " is not writable: " + reason(e), e);
        }
    }

    /**
     * The reference profile: a file parses as the job parses it; a directory exists, and the newest
     * {@code .json} file in it, which the job starts with, parses.
     */
    static void reference(String location) {
        String what = "reference " + location + " (--reference, drift.reference)";
        Path path = local(location);
        if (path == null) {
            return;
        }
        if (!Files.exists(path)) {
            throw new UserError(what + " does not exist");
        }
        Path file = path;
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                file =
                        files.filter(p -> p.toString().endsWith(".json"))
                                .max(Comparator.comparing(p -> p.toFile().lastModified()))
                                .orElse(null);
            } catch (IOException | RuntimeException e) {
                throw new UserError(what + " is a directory that cannot be listed: " + reason(e));
            }
            if (file == null) {
                // A watched directory may start empty: profiles arrive later.
                return;
            }
            what = "reference file " + file + " (in drift.reference " + location + ")";
        }
        String json;
        try {
            json = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(what + " cannot be read: " + reason(e), e);
        }
        try {
            ReferenceProfileJson.read(json);
        } catch (RuntimeException e) {
            throw new UserError(what + " is not a valid reference profile: " + e.getMessage(), e);
        }
    }

    /** The local path of {@code location}, or null when it names another file system. */
    private static Path local(String location) {
        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        boolean hasScheme = colon > 1 && (slash < 0 || colon < slash);
        if (!hasScheme) {
            return Paths.get(location);
        }
        if (location.startsWith("file:")) {
            return Paths.get(java.net.URI.create(location));
        }
        return null;
    }

    /** What went wrong, in words: NIO's exceptions carry only the path as their message. */
    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException) {
            String reason = ((java.nio.file.FileSystemException) e).getReason();
            return reason != null ? reason : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
