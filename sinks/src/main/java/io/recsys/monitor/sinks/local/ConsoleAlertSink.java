package io.recsys.monitor.sinks.local;

import io.recsys.monitor.model.Alert;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Prints one {@link AlertLine} per alert to {@code System.out}, so that whoever runs the job
 * locally sees alarms being raised and resolved as they happen, next to the files the other sinks
 * write. Any parallelism works: each line is printed whole.
 */
public final class ConsoleAlertSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
        return new ConsoleAlertWriter(System.out);
    }

    /**
     * Flink 1.20 still declares this as the abstract method; the runtime calls {@link
     * #createWriter(WriterInitContext)}.
     *
     * @deprecated use {@link #createWriter(WriterInitContext)}
     */
    @Deprecated
    @Override
    public SinkWriter<Alert> createWriter(Sink.InitContext context) throws IOException {
        return new ConsoleAlertWriter(System.out);
    }
}
