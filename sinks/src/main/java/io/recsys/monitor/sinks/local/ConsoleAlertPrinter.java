package io.recsys.monitor.sinks.local;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints one {@link AlertLine} per alert to the console of a local run, so that whoever runs the
 * job sees alarms being raised and resolved next to the files the sinks write. It listens to the
 * lines committed to {@code alerts.jsonl} ({@link JsonLinesFileSink#withCommittedLines}), so an
 * alert is printed when its line is committed and never again after a restore.
 */
public final class ConsoleAlertPrinter implements CommittedLineListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAlertPrinter.class);

    // PrintStream is not serializable; a printer shipped to a task manager prints to its stdout.
    private final transient PrintStream out;

    /** A printer to {@code System.out}. */
    public ConsoleAlertPrinter() {
        this(null);
    }

    /** A printer to {@code out}, for a test to capture what it prints. */
    ConsoleAlertPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void committed(String line) {
        Alert alert;
        try {
            alert = AlertJson.decode(line);
        } catch (IllegalArgumentException e) {
            // The line was written by AlertJson; this is a bug, and the file holds the alert.
            LOG.warn("event=console_alert_unreadable reason={}", e.getMessage());
            return;
        }
        print(alert);
    }

    /** Prints the line of {@code alert}. */
    void print(Alert alert) {
        // One println per alert: PrintStream locks per call, so lines never mix.
        (out == null ? System.out : out).println(AlertLine.format(alert));
    }
}
