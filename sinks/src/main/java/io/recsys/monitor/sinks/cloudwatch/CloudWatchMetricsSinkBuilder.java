package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.aws.LoggingSinkDeadLetters;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.Arrays;
import java.util.Optional;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;
import org.apache.flink.util.Preconditions;

/**
 * Builds a {@link CloudWatchMetricsSink}, checking every setting against CloudWatch's limits so
 * that a bad one fails when the job is built, not on the first request.
 *
 * <p>Defaults:
 *
 * <ul>
 *   <li>{@code maxBatchSize} 1000 datums: PutMetricData's limit.
 *   <li>{@code maxBatchSizeInBytes} 900 KiB by the datums' size estimate: a request must stay under
 *       1 MB, and at most {@code 1 MB - 16 KiB} is accepted.
 *   <li>{@code maxRecordSizeInBytes} 128 KiB: above the largest datum CloudWatch accepts ({@value
 *       MetricDatumEntry#MAX_VALID_SIZE_BYTES} bytes estimated), so no valid datum is refused.
 *   <li>{@code maxInFlightRequests} 10, {@code maxBufferedRequests} 10000, {@code
 *       maxTimeInBufferMS} 5000, {@code requestTimeoutMS} 60000 (a timed-out request is retried).
 *   <li>storage resolution 60 s; default namespace {@code RecommendationSystem} (for points without
 *       one).
 *   <li>dimensions: {@code ModelVersion} and {@code UserSegment}, 100 distinct values each per
 *       metric (the defaults of {@code cloudwatch.dimensions} and {@code
 *       cloudwatch.max-dimension-values}).
 *   <li>invalid data: {@link InvalidDataPolicy#DROP} into {@link LoggingSinkDeadLetters}.
 *   <li>client provider: none; it must be set.
 * </ul>
 */
public class CloudWatchMetricsSinkBuilder
        extends AsyncSinkBaseBuilder<MetricPoint, MetricDatumEntry, CloudWatchMetricsSinkBuilder> {

    static final int DEFAULT_MAX_BATCH_SIZE = CloudWatchLimits.MAX_DATUMS_PER_REQUEST;
    static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 10;
    static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
    static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 900 * 1024;
    static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 5_000;
    static final long DEFAULT_MAX_RECORD_SIZE_IN_BYTES = 128 * 1024;
    static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
    static final String DEFAULT_NAMESPACE = "RecommendationSystem";

    private CloudWatchClientProvider clientProvider;
    private String defaultNamespace = DEFAULT_NAMESPACE;
    private int storageResolution = 60;
    private DimensionPolicy dimensionPolicy =
            DimensionPolicy.allow(Arrays.asList("ModelVersion", "UserSegment"), 100);
    private InvalidDataPolicy invalidDataPolicy = InvalidDataPolicy.DROP;
    private SinkDeadLetters deadLetters = new LoggingSinkDeadLetters();
    private long requestTimeoutMS = DEFAULT_REQUEST_TIMEOUT_MS;

    CloudWatchMetricsSinkBuilder() {}

    /** Where each writer gets its client; see {@link CloudWatchClientProvider#of}. */
    public CloudWatchMetricsSinkBuilder setClientProvider(CloudWatchClientProvider clientProvider) {
        this.clientProvider = clientProvider;
        return this;
    }

    /** Namespace of points that carry none. */
    public CloudWatchMetricsSinkBuilder setDefaultNamespace(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
        return this;
    }

    /** 60 (standard) or 1 (high resolution) seconds. */
    public CloudWatchMetricsSinkBuilder setStorageResolution(int storageResolution) {
        this.storageResolution = storageResolution;
        return this;
    }

    public CloudWatchMetricsSinkBuilder setDimensionPolicy(DimensionPolicy dimensionPolicy) {
        this.dimensionPolicy = dimensionPolicy;
        return this;
    }

    public CloudWatchMetricsSinkBuilder setInvalidDataPolicy(InvalidDataPolicy invalidDataPolicy) {
        this.invalidDataPolicy = invalidDataPolicy;
        return this;
    }

    /** Where datums CloudWatch refuses go under {@link InvalidDataPolicy#DROP}. */
    public CloudWatchMetricsSinkBuilder setDeadLetters(SinkDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        return this;
    }

    /** How long a request may take before its datums are retried. */
    public CloudWatchMetricsSinkBuilder setRequestTimeoutMS(long requestTimeoutMS) {
        this.requestTimeoutMS = requestTimeoutMS;
        return this;
    }

    @Override
    public CloudWatchMetricsSink build() {
        int maxBatchSize = orDefault(getMaxBatchSize(), DEFAULT_MAX_BATCH_SIZE);
        int maxInFlight = orDefault(getMaxInFlightRequests(), DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        int maxBuffered = orDefault(getMaxBufferedRequests(), DEFAULT_MAX_BUFFERED_REQUESTS);
        long maxBatchBytes = orDefault(getMaxBatchSizeInBytes(), DEFAULT_MAX_BATCH_SIZE_IN_BYTES);
        long maxTimeInBuffer = orDefault(getMaxTimeInBufferMS(), DEFAULT_MAX_TIME_IN_BUFFER_MS);
        long maxRecordBytes =
                orDefault(getMaxRecordSizeInBytes(), DEFAULT_MAX_RECORD_SIZE_IN_BYTES);

        Preconditions.checkArgument(
                maxBatchSize >= 1 && maxBatchSize <= CloudWatchLimits.MAX_DATUMS_PER_REQUEST,
                "maxBatchSize must be between 1 and %s (PutMetricData accepts at most %s datums"
                        + " per request), got %s",
                CloudWatchLimits.MAX_DATUMS_PER_REQUEST,
                CloudWatchLimits.MAX_DATUMS_PER_REQUEST,
                maxBatchSize);
        long maxRequestBytes =
                CloudWatchLimits.MAX_REQUEST_BYTES - CloudWatchLimits.REQUEST_OVERHEAD_BYTES;
        Preconditions.checkArgument(
                maxBatchBytes > 0 && maxBatchBytes <= maxRequestBytes,
                "maxBatchSizeInBytes must be between 1 and %s (a PutMetricData request must stay"
                        + " under 1 MB, and %s bytes are kept for the request's own fields), got"
                        + " %s",
                maxRequestBytes,
                CloudWatchLimits.REQUEST_OVERHEAD_BYTES,
                maxBatchBytes);
        Preconditions.checkArgument(
                maxRecordBytes >= MetricDatumEntry.MAX_VALID_SIZE_BYTES,
                "maxRecordSizeInBytes must be at least %s, the estimated size of the largest datum"
                        + " CloudWatch accepts, so that no valid datum fails the buffer; got %s",
                MetricDatumEntry.MAX_VALID_SIZE_BYTES,
                maxRecordBytes);
        Preconditions.checkArgument(
                maxRecordBytes <= maxBatchBytes,
                "maxRecordSizeInBytes (%s) must not exceed maxBatchSizeInBytes (%s)",
                maxRecordBytes,
                maxBatchBytes);
        Preconditions.checkArgument(
                maxInFlight >= 1, "maxInFlightRequests must be at least 1, got %s", maxInFlight);
        Preconditions.checkArgument(
                maxBuffered > maxBatchSize,
                "maxBufferedRequests (%s) must be greater than maxBatchSize (%s)",
                maxBuffered,
                maxBatchSize);
        Preconditions.checkArgument(
                maxTimeInBuffer > 0, "maxTimeInBufferMS must be positive, got %s", maxTimeInBuffer);
        Preconditions.checkArgument(
                requestTimeoutMS > 0,
                "requestTimeoutMS must be positive, got %s",
                requestTimeoutMS);
        Preconditions.checkArgument(
                storageResolution == 60 || storageResolution == 1,
                "storage resolution must be 60 (standard) or 1 (high resolution) seconds, got %s",
                storageResolution);
        Optional<String> namespaceProblem = CloudWatchLimits.namespaceProblem(defaultNamespace);
        Preconditions.checkArgument(
                namespaceProblem.isEmpty(), "default namespace: %s", namespaceProblem.orElse(""));
        Preconditions.checkNotNull(
                clientProvider,
                "a CloudWatchClientProvider is required, e.g."
                        + " CloudWatchClientProvider.of(AwsConnection.fromConfig(config))");
        Preconditions.checkNotNull(dimensionPolicy, "dimensionPolicy must not be null");
        Preconditions.checkNotNull(invalidDataPolicy, "invalidDataPolicy must not be null");
        Preconditions.checkNotNull(deadLetters, "deadLetters must not be null");

        return new CloudWatchMetricsSink(
                new MetricPointConverter(defaultNamespace, storageResolution, dimensionPolicy),
                maxBatchSize,
                maxInFlight,
                maxBuffered,
                maxBatchBytes,
                maxTimeInBuffer,
                maxRecordBytes,
                requestTimeoutMS,
                clientProvider,
                invalidDataPolicy,
                deadLetters);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
