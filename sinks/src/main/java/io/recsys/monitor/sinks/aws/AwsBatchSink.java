package io.recsys.monitor.sinks.aws;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

/**
 * A sink that sends its input to an AWS service in batches through the connector base's async
 * writer, with the entries buffered at a checkpoint kept in it (at least once). A new writer is a
 * restored one with nothing to restore, so a subclass writes only {@code restoreWriter} and the
 * state serializer.
 */
public abstract class AwsBatchSink<In, E extends Serializable> extends AsyncSinkBase<In, E> {
    private static final long serialVersionUID = 1L;

    protected AwsBatchSink(ElementConverter<In, E> converter, SinkBuffering buffering) {
        super(
                converter,
                buffering.maxBatchSize(),
                buffering.maxInFlightRequests(),
                buffering.maxBufferedRequests(),
                buffering.maxBatchSizeInBytes(),
                buffering.maxTimeInBufferMS(),
                buffering.maxRecordSizeInBytes(),
                buffering.requestTimeoutMS(),
                buffering.failOnTimeout());
    }

    @Override
    public StatefulSinkWriter<In, BufferedRequestState<E>> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, Collections.emptyList());
    }

    /**
     * Flink 1.20 still declares this as the abstract method; its runtime calls {@link
     * #createWriter(WriterInitContext)}, and the writers need their {@link WriterInitContext}.
     *
     * @deprecated use {@link #createWriter(WriterInitContext)}
     */
    @Deprecated
    @Override
    public StatefulSinkWriter<In, BufferedRequestState<E>> createWriter(Sink.InitContext context) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName()
                        + " needs a WriterInitContext; Flink 1.20 calls"
                        + " createWriter(WriterInitContext)");
    }

    /** The converter the base class keeps, for this sink's writers. */
    ElementConverter<In, E> elementConverter() {
        return getElementConverter();
    }

    /** The configuration of this sink's writers: the buffering the base class keeps. */
    public AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .build();
    }
}
