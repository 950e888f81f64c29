package io.recsys.monitor.job.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes synthetic traffic to a JSON-lines file (UTF-8, one event per line), the input of the file
 * source: a recorded stream that a demo, a benchmark or a bug report can replay exactly.
 */
public final class EventFileWriter {
    private EventFileWriter() {}

    /**
     * Writes the next {@code events} events of {@code simulator} to {@code file}, replacing it, and
     * creates missing parent directories.
     *
     * @return the number of lines written
     */
    public static long write(Path file, TrafficSimulator simulator, long events)
            throws IOException {
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < events; i++) {
                writer.write(simulator.next().json);
                writer.write('\n');
            }
        }
        return events;
    }
}
