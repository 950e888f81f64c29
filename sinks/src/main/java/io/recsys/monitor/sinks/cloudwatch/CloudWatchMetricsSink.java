package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.aws.AwsBatchSink;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.Collection;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Publishes {@link MetricPoint}s as CloudWatch custom metrics with PutMetricData: the job's metrics
 * become graphs and alarm inputs in CloudWatch. Datums are buffered and sent in batches of up to
 * 1000 per namespace; throttling and service errors are retried, access errors fail the job with
 * what to check, and datums CloudWatch refuses are handled by {@link InvalidDataPolicy}. Buffered
 * datums are part of the checkpoint (at-least-once).
 *
 * <p>Build one with {@link #builder()} or, from the job's settings, {@link #fromConfig}.
 */
public class CloudWatchMetricsSink extends AwsBatchSink<MetricPoint, MetricDatumEntry> {
    private static final long serialVersionUID = 1L;

    private final CloudWatchClientProvider clientProvider;
    private final InvalidDataPolicy invalidDataPolicy;
    private final SinkDeadLetters deadLetters;

    CloudWatchMetricsSink(
            MetricPointConverter converter,
            SinkBuffering buffering,
            CloudWatchClientProvider clientProvider,
            InvalidDataPolicy invalidDataPolicy,
            SinkDeadLetters deadLetters) {
        super(converter, buffering);
        this.clientProvider = Objects.requireNonNull(clientProvider, "clientProvider");
        this.invalidDataPolicy = Objects.requireNonNull(invalidDataPolicy, "invalidDataPolicy");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public static CloudWatchMetricsSinkBuilder builder() {
        return new CloudWatchMetricsSinkBuilder();
    }

    /**
     * The sink the job's {@code cloudwatch.*}, {@code aws.*} and {@code metrics.namespace} settings
     * describe.
     *
     * @throws IllegalArgumentException if {@code cloudwatch.dimensions} names a user id, or a
     *     setting breaks a CloudWatch limit
     */
    public static CloudWatchMetricsSink fromConfig(MonitorConfig config) {
        return builder()
                .setClientProvider(CloudWatchClientProvider.of(AwsConnection.fromConfig(config)))
                .setDefaultNamespace(config.get(Settings.METRIC_NAMESPACE))
                .setStorageResolution(
                        Integer.parseInt(config.get(Settings.CLOUDWATCH_STORAGE_RESOLUTION)))
                .setDimensionPolicy(
                        DimensionPolicy.allow(
                                config.get(Settings.CLOUDWATCH_DIMENSIONS),
                                config.get(Settings.CLOUDWATCH_MAX_DIMENSION_VALUES)))
                .setInvalidDataPolicy(
                        InvalidDataPolicy.of(config.get(Settings.CLOUDWATCH_INVALID_DATA)))
                .setMaxBatchSize(config.get(Settings.CLOUDWATCH_MAX_BATCH_SIZE))
                .setMaxTimeInBufferMS(config.get(Settings.CLOUDWATCH_MAX_TIME_IN_BUFFER).toMillis())
                .build();
    }

    @Override
    public StatefulSinkWriter<MetricPoint, BufferedRequestState<MetricDatumEntry>> restoreWriter(
            WriterInitContext context,
            Collection<BufferedRequestState<MetricDatumEntry>> recoveredState) {
        return new CloudWatchMetricsSinkWriter(
                this,
                context,
                recoveredState,
                clientProvider,
                deadLetters,
                System::currentTimeMillis);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<MetricDatumEntry>>
            getWriterStateSerializer() {
        return new MetricDatumEntrySerializer();
    }

    InvalidDataPolicy invalidDataPolicy() {
        return invalidDataPolicy;
    }

    MetricPointConverter converter() {
        return (MetricPointConverter) getElementConverter();
    }
}
