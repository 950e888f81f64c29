package io.recsys.monitor.sinks.aws;

import java.io.Serializable;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;

/**
 * The builder of an AWS batch sink: the connector base's buffering setters, plus the request
 * timeout that Flink 1.20's builder lacks, resolved against the sink's defaults into a checked
 * {@link SinkBuffering}.
 *
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class AwsSinkBuilder<In, E extends Serializable, B extends AwsSinkBuilder<In, E, B>>
        extends AsyncSinkBaseBuilder<In, E, B> {

    private Long requestTimeoutMS;
    private Boolean failOnTimeout;

    /** How long a request may take before its entries are sent again (or the job fails). */
    public B setRequestTimeoutMS(long requestTimeoutMS) {
        this.requestTimeoutMS = requestTimeoutMS;
        return self();
    }

    /** Whether a timed-out request fails the job instead of being sent again. */
    public B setFailOnTimeout(boolean failOnTimeout) {
        this.failOnTimeout = failOnTimeout;
        return self();
    }

    /**
     * The settings made on this builder, each unset one taken from {@code defaults}; not yet
     * checked (see {@link SinkBuffering#checked()}).
     */
    protected SinkBuffering buffering(SinkBuffering defaults) {
        return new SinkBuffering(
                or(getMaxBatchSize(), defaults.maxBatchSize()),
                or(getMaxInFlightRequests(), defaults.maxInFlightRequests()),
                or(getMaxBufferedRequests(), defaults.maxBufferedRequests()),
                or(getMaxBatchSizeInBytes(), defaults.maxBatchSizeInBytes()),
                or(getMaxTimeInBufferMS(), defaults.maxTimeInBufferMS()),
                or(getMaxRecordSizeInBytes(), defaults.maxRecordSizeInBytes()),
                or(requestTimeoutMS, defaults.requestTimeoutMS()),
                failOnTimeout == null ? defaults.failOnTimeout() : failOnTimeout);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static long or(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
