package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.aws.AwsBatchSink;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Publishes alerts to SNS, one topic per route (critical, warning, ml; see {@link AlertRouting}),
 * with {@code PublishBatch}, so that on-call people, chat channels and automation subscribed to the
 * topics hear about an alarm within about a second of the job raising it.
 *
 * <p>Each alert becomes one message: a subject readable at a glance, the whole alert as JSON in the
 * body, and message attributes for subscription filters (see {@link AlertMessageConverter}).
 * Delivery is at least once: alerts buffered at a checkpoint are kept in it, and entries SNS could
 * not take for a passing reason are retried. Subscribers fold repeats with {@code
 * deduplication_key}, {@code state} and {@code time}; FIFO topics do it themselves.
 *
 * <p>An alert SNS rejects for good goes to the {@link SinkDeadLetters}; a topic that does not exist
 * or may not be written fails the job with a message naming the key to fix. The writer counts
 * {@value #PUBLISHED_METRIC}, {@value #RETRIED_METRIC} and {@value #REJECTED_METRIC}.
 *
 * <p>Build one with {@link #builder()} or {@link #fromConfig(MonitorConfig)}.
 */
public final class SnsAlertSink extends AwsBatchSink<Alert, AlertMessage> {
    private static final long serialVersionUID = 1L;

    /** Counter of alerts SNS accepted. */
    public static final String PUBLISHED_METRIC = "snsAlertsPublished";

    /** Counter of entries sent again after a passing failure (one alert may count many times). */
    public static final String RETRIED_METRIC = "snsEntriesRetried";

    /** Counter of alerts SNS rejected for good, handed to the dead letters. */
    public static final String REJECTED_METRIC = "snsAlertsRejected";

    private final SnsClientProvider clientProvider;
    private final AlertRouting routing;
    private final SinkDeadLetters deadLetters;

    SnsAlertSink(
            AlertRouting routing,
            SnsClientProvider clientProvider,
            SinkDeadLetters deadLetters,
            SinkBuffering buffering) {
        super(new AlertMessageConverter(routing), buffering);
        this.routing = routing;
        this.clientProvider = clientProvider;
        this.deadLetters = deadLetters;
    }

    /** A builder with the defaults listed on {@link SnsAlertSinkBuilder}. */
    public static SnsAlertSinkBuilder builder() {
        return new SnsAlertSinkBuilder();
    }

    /**
     * The sink of a production run: topics from {@code sns.*-topic-arn}, buffering from {@code
     * sns.max-time-in-buffer}, clients from {@code aws.*}, rejected alerts logged.
     */
    public static SnsAlertSink fromConfig(MonitorConfig config) {
        return SnsAlertSinkBuilder.fromConfig(config).build();
    }

    @Override
    public StatefulSinkWriter<Alert, BufferedRequestState<AlertMessage>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<AlertMessage>> restored) {
        return new SnsAlertSinkWriter(this, context, restored, clientProvider, deadLetters);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<AlertMessage>>
            getWriterStateSerializer() {
        return new AlertMessageStateSerializer();
    }

    /** Where alerts go. */
    public AlertRouting routing() {
        return routing;
    }
}
