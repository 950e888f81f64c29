package io.recsys.monitor.job.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * An output of a deployment without local files, written as structured log lines (Managed Service
 * for Apache Flink sends logs to CloudWatch Logs), by a writer of each subtask's own.
 */
abstract class LogSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** A new writer, for one subtask. */
    abstract SinkWriter<T> writer();

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return writer();
    }

    /** Flink 1.20 still declares this one abstract; both open the same writer. */
    @Deprecated
    @Override
    public SinkWriter<T> createWriter(Sink.InitContext context) {
        return writer();
    }
}
