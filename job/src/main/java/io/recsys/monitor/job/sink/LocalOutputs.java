package io.recsys.monitor.job.sink;

import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.DeadLetterJson;
import io.recsys.monitor.sinks.json.DriftReportJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import io.recsys.monitor.sinks.local.ConsoleAlertPrinter;
import io.recsys.monitor.sinks.local.JsonLinesFileSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The outputs of a local run: {@code metrics.jsonl}, {@code alerts.jsonl}, {@code
 * dead-letter.jsonl} and {@code drift.jsonl} under one directory, and one line per alert on the
 * console. Each file is written exactly once per record and shows its lines when their checkpoint
 * completes ({@link JsonLinesFileSink}); an alert is printed on the console when its line is
 * committed to {@code alerts.jsonl}.
 */
public final class LocalOutputs implements MonitorSinks {
    public static final String METRICS_FILE = "metrics.jsonl";
    public static final String ALERTS_FILE = "alerts.jsonl";
    public static final String DEAD_LETTER_FILE = "dead-letter.jsonl";
    public static final String DRIFT_FILE = "drift.jsonl";

    private final Path directory;
    private final boolean consoleAlerts;

    private LocalOutputs(Path directory, boolean consoleAlerts) {
        this.directory = directory;
        this.consoleAlerts = consoleAlerts;
    }

    /**
     * Outputs for a new run: the files are emptied first, so that results of an earlier run are
     * never mistaken for this one's.
     */
    public static LocalOutputs fresh(Path directory, boolean consoleAlerts) {
        try {
            Files.createDirectories(directory);
            for (String name :
                    new String[] {METRICS_FILE, ALERTS_FILE, DEAD_LETTER_FILE, DRIFT_FILE}) {
                Files.deleteIfExists(directory.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare output directory " + directory, e);
        }
        return new LocalOutputs(directory, consoleAlerts);
    }

    /**
     * Outputs of a run that continues an earlier one from its checkpoint: the files are kept (the
     * sinks cut them back to what the restored checkpoint had committed).
     */
    public static LocalOutputs continuing(Path directory, boolean consoleAlerts) {
        return new LocalOutputs(directory, consoleAlerts);
    }

    @Override
    public void metrics(DataStream<MetricPoint> metrics) {
        metrics.sinkTo(
                        JsonLinesFileSink.forPath(
                                directory.resolve(METRICS_FILE), new MetricPointJson()))
                .setParallelism(1)
                .uid("sink-metrics-file")
                .name("metrics.jsonl");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        JsonLinesFileSink<Alert> sink =
                JsonLinesFileSink.forPath(directory.resolve(ALERTS_FILE), new AlertJson());
        if (consoleAlerts) {
            // Printed as committed, not as they arrive, so a restore never prints one twice.
            sink = sink.withCommittedLines(new ConsoleAlertPrinter());
        }
        alerts.sinkTo(sink).setParallelism(1).uid("sink-alerts-file").name("alerts.jsonl");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(
                        JsonLinesFileSink.forPath(
                                directory.resolve(DEAD_LETTER_FILE), new DeadLetterJson()))
                .setParallelism(1)
                .uid("sink-dead-letter-file")
                .name("dead-letter.jsonl");
    }

    @Override
    public void driftReports(DataStream<DriftReport> reports) {
        reports.sinkTo(
                        JsonLinesFileSink.forPath(
                                directory.resolve(DRIFT_FILE), new DriftReportJson()))
                .setParallelism(1)
                .uid("sink-drift-file")
                .name("drift.jsonl");
    }
}
