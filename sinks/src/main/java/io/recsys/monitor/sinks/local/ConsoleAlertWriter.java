package io.recsys.monitor.sinks.local;

import io.recsys.monitor.model.Alert;
import java.io.PrintStream;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * The writer of a {@link ConsoleAlertSink}. It takes the stream as an argument so that a test can
 * capture what it prints.
 */
final class ConsoleAlertWriter implements SinkWriter<Alert> {

    private final PrintStream out;

    ConsoleAlertWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(Alert alert, Context context) {
        // One println per alert: PrintStream locks per call, so parallel writers never mix lines.
        out.println(AlertLine.format(alert));
    }

    @Override
    public void flush(boolean endOfInput) {
        out.flush();
    }

    @Override
    public void close() {
        // System.out belongs to the JVM; closing it would silence every later print.
        out.flush();
    }
}
