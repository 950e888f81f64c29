package io.recsys.monitor.sinks.aws;

import java.io.Serializable;
import org.apache.flink.util.Preconditions;

/**
 * How an AWS batch sink buffers and sends: entries and bytes per request, requests in flight,
 * entries held, how long an entry may wait and how long a request may take. Built by {@link
 * AwsSinkBuilder}; each sink checks its service's limits with {@link #checkWithin}, then the rules
 * every sink shares with {@link #checked()}.
 */
public final class SinkBuffering implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxBatchSize;
    private final int maxInFlightRequests;
    private final int maxBufferedRequests;
    private final long maxBatchSizeInBytes;
    private final long maxTimeInBufferMS;
    private final long maxRecordSizeInBytes;
    private final long requestTimeoutMS;
    private final boolean failOnTimeout;

    public SinkBuffering(
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMS,
            long maxRecordSizeInBytes,
            long requestTimeoutMS,
            boolean failOnTimeout) {
        this.maxBatchSize = maxBatchSize;
        this.maxInFlightRequests = maxInFlightRequests;
        this.maxBufferedRequests = maxBufferedRequests;
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
        this.maxTimeInBufferMS = maxTimeInBufferMS;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.requestTimeoutMS = requestTimeoutMS;
        this.failOnTimeout = failOnTimeout;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public int maxInFlightRequests() {
        return maxInFlightRequests;
    }

    public int maxBufferedRequests() {
        return maxBufferedRequests;
    }

    public long maxBatchSizeInBytes() {
        return maxBatchSizeInBytes;
    }

    public long maxTimeInBufferMS() {
        return maxTimeInBufferMS;
    }

    public long maxRecordSizeInBytes() {
        return maxRecordSizeInBytes;
    }

    public long requestTimeoutMS() {
        return requestTimeoutMS;
    }

    public boolean failOnTimeout() {
        return failOnTimeout;
    }

    /**
     * These settings, once they pass the rules every sink shares (checked after the service's
     * limits, so that a value beyond a limit is reported as such).
     *
     * @throws IllegalArgumentException if they do not
     */
    public SinkBuffering checked() {
        Preconditions.checkArgument(
                maxInFlightRequests >= 1,
                "maxInFlightRequests must be at least 1, got %s",
                maxInFlightRequests);
        Preconditions.checkArgument(
                maxBufferedRequests > maxBatchSize,
                "maxBufferedRequests (%s) must be greater than maxBatchSize (%s)",
                maxBufferedRequests,
                maxBatchSize);
        Preconditions.checkArgument(
                maxTimeInBufferMS >= 1,
                "maxTimeInBufferMS must be positive, got %s",
                maxTimeInBufferMS);
        Preconditions.checkArgument(
                requestTimeoutMS >= 1,
                "requestTimeoutMS must be positive, got %s",
                requestTimeoutMS);
        Preconditions.checkArgument(
                maxRecordSizeInBytes <= maxBatchSizeInBytes,
                "maxRecordSizeInBytes (%s) must not exceed maxBatchSizeInBytes (%s)",
                maxRecordSizeInBytes,
                maxBatchSizeInBytes);
        return this;
    }

    /**
     * Fails with "{@code setting} must be between {@code min} and {@code max} ({@code limit}), got
     * {@code value}" unless the value is within the service's limit.
     */
    public static void checkWithin(String setting, long value, long min, long max, String limit) {
        Preconditions.checkArgument(
                value >= min && value <= max,
                "%s must be between %s and %s (%s), got %s",
                setting,
                min,
                max,
                limit,
                value);
    }
}
