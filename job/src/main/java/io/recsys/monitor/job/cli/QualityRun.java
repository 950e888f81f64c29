package io.recsys.monitor.job.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the quality commands ({@code alarm-quality}, {@code drift-quality}) print and write as they
 * go: a line before each run, the JSON table rewritten after each (a long run that is stopped keeps
 * what it measured), and the table with the total time at the end. {@code bench} writes its
 * figures' JSON the same way.
 */
final class QualityRun {
    private QualityRun() {}

    static void progress(String what) {
        System.out.printf(Locale.ROOT, "Running %s...%n", what);
        System.out.flush();
    }

    static void write(Path output, String json) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(output, json.getBytes(StandardCharsets.UTF_8));
    }

    static void finish(String table, long startedNanos, Path output) {
        System.out.print(table);
        System.out.printf(
                Locale.ROOT,
                "Total run time %.0f s. Table written to %s%n",
                (System.nanoTime() - startedNanos) / 1e9,
                output.toAbsolutePath());
    }
}
