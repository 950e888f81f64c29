package io.recsys.monitor.sinks.aws;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What the writers of the AWS sinks share: the buffering of their {@link AwsBatchSink}, a service
 * client made for the writer and closed with it, and calls and counters on the SDK's threads.
 *
 * @param <C> the client
 */
public abstract class AwsSinkWriter<In, E extends Serializable, C extends SdkAutoCloseable>
        extends AsyncSinkWriter<In, E> {
    protected final C client;

    protected AwsSinkWriter(
            AwsBatchSink<In, E> sink,
            WriterInitContext context,
            Collection<BufferedRequestState<E>> restored,
            C client) {
        super(sink.elementConverter(), context, sink.writerConfiguration(), restored);
        this.client = client;
    }

    /** A counter of the writer's metric group; the SDK's threads increment it. */
    protected static Counter counter(WriterInitContext context, String name) {
        return context.metricGroup().counter(name, new ThreadSafeSimpleCounter());
    }

    /** The future of a call to the service, also when the call throws instead of failing it. */
    protected static <R> CompletableFuture<R> call(Supplier<CompletableFuture<R>> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            // Some SDK failures (and test clients) throw instead of failing the future.
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * String message attributes (SQS, SNS) in the SDK's form of the service, which {@code value}
     * makes of each string; a null map has none.
     */
    public static <V> Map<String, V> stringAttributes(
            Map<String, String> attributes, Function<String, V> value) {
        Map<String, V> converted = new HashMap<>();
        if (attributes != null) {
            attributes.forEach((name, text) -> converted.put(name, value.apply(text)));
        }
        return converted;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            client.close();
        }
    }
}
