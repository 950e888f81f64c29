package io.recsys.monitor.job.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The output files of a local run read into a {@link DashboardData}: all of them for a report, what
 * was appended since the last refresh for the live dashboard. It reads exactly what the job
 * committed, the same records that the files and CloudWatch receive.
 */
public final class RunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final AlarmCatalog catalog;
    private final OutputTail metrics;
    private final OutputTail alerts;
    private final OutputTail drift;
    private final OutputTail deadLetters;
    private DashboardData data;
    private byte[] snapshot;
    private long snapshotRecords = -1;

    public RunOutputs(Path directory, AlarmCatalog catalog) {
        this.directory = directory;
        this.catalog = catalog;
        this.metrics = new OutputTail(directory.resolve(LocalOutputs.METRICS_FILE));
        this.alerts = new OutputTail(directory.resolve(LocalOutputs.ALERTS_FILE));
        this.drift = new OutputTail(directory.resolve(LocalOutputs.DRIFT_FILE));
        this.deadLetters = new OutputTail(directory.resolve(LocalOutputs.DEAD_LETTER_FILE));
        this.data = new DashboardData(catalog);
    }

    /** The directory read. */
    public Path directory() {
        return directory;
    }

    /**
     * Reads what was appended since the last call and returns the data object as JSON bytes (the
     * same array while nothing changed).
     */
    public synchronized byte[] refresh() throws IOException {
        boolean restarted = read();
        if (restarted) {
            // A file was replaced or cut back: what was read from it may be gone. Read all again.
            metrics.reset();
            alerts.reset();
            drift.reset();
            deadLetters.reset();
            data = new DashboardData(catalog);
            read();
        }
        if (snapshot == null || restarted || data.records() != snapshotRecords) {
            snapshot = JSON.writeValueAsBytes(data.toJson());
            snapshotRecords = data.records();
        }
        return snapshot;
    }

    /** How many records the last refresh had read. */
    public synchronized long records() {
        return data.records();
    }

    /**
     * Reads every file to its end and writes the self-contained report of {@code source} (a name
     * for the run, shown on the page) to {@code report}.
     */
    public synchronized void writeReport(Path report, String source) throws IOException {
        refresh();
        ObjectNode object = data.toJson();
        object.put("source", source);
        object.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Path parent = report.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = parent.resolve("." + report.getFileName() + ".tmp");
        Files.writeString(
                partial,
                DashboardPage.report(JSON.writeValueAsString(object)),
                StandardCharsets.UTF_8);
        // A report is whole or absent: a reader never opens half of one.
        Files.move(
                partial,
                report,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean read() throws IOException {
        boolean restarted = false;
        restarted |= feed(metrics, DashboardData::addMetric);
        restarted |= feed(alerts, DashboardData::addAlert);
        restarted |= feed(drift, DashboardData::addDrift);
        restarted |= feed(deadLetters, DashboardData::addDeadLetter);
        return restarted;
    }

    private boolean feed(OutputTail tail, BiConsumer<DashboardData, JsonNode> add)
            throws IOException {
        List<String> lines = tail.newLines();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                add.accept(data, JSON.readTree(line.getBytes(StandardCharsets.UTF_8)));
            } catch (JsonProcessingException e) {
                // Committed lines are whole JSON objects; a foreign line is not the job's.
            }
        }
        return tail.restarted();
    }
}
