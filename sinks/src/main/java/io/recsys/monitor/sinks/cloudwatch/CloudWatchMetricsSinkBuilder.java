package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.aws.AwsSinkBuilder;
import io.recsys.monitor.sinks.aws.LoggingSinkDeadLetters;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.Arrays;
import java.util.Optional;
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
        extends AwsSinkBuilder<MetricPoint, MetricDatumEntry, CloudWatchMetricsSinkBuilder> {

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

    @Override
    public CloudWatchMetricsSink build() {
        SinkBuffering buffering =
                buffering(
                        new SinkBuffering(
                                DEFAULT_MAX_BATCH_SIZE,
                                DEFAULT_MAX_IN_FLIGHT_REQUESTS,
                                DEFAULT_MAX_BUFFERED_REQUESTS,
                                DEFAULT_MAX_BATCH_SIZE_IN_BYTES,
                                DEFAULT_MAX_TIME_IN_BUFFER_MS,
                                DEFAULT_MAX_RECORD_SIZE_IN_BYTES,
                                DEFAULT_REQUEST_TIMEOUT_MS,
                                false));
        SinkBuffering.checkWithin(
                "maxBatchSize",
                buffering.maxBatchSize(),
                1,
                CloudWatchLimits.MAX_DATUMS_PER_REQUEST,
                "PutMetricData accepts at most "
                        + CloudWatchLimits.MAX_DATUMS_PER_REQUEST
                        + " datums per request");
        SinkBuffering.checkWithin(
                "maxBatchSizeInBytes",
                buffering.maxBatchSizeInBytes(),
                1,
                CloudWatchLimits.MAX_REQUEST_BYTES - CloudWatchLimits.REQUEST_OVERHEAD_BYTES,
                "a PutMetricData request must stay under 1 MB, and "
                        + CloudWatchLimits.REQUEST_OVERHEAD_BYTES
                        + " bytes are kept for the request's own fields");
        Preconditions.checkArgument(
                buffering.maxRecordSizeInBytes() >= MetricDatumEntry.MAX_VALID_SIZE_BYTES,
                "maxRecordSizeInBytes must be at least %s, the estimated size of the largest datum"
                        + " CloudWatch accepts, so that no valid datum fails the buffer; got %s",
                MetricDatumEntry.MAX_VALID_SIZE_BYTES,
                buffering.maxRecordSizeInBytes());
        buffering.checked();
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
                buffering,
                clientProvider,
                invalidDataPolicy,
                deadLetters);
    }
}
