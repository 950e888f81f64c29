package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.aws.AwsSinkBuilder;
import io.recsys.monitor.sinks.aws.LoggingSinkDeadLetters;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.time.Duration;
import org.apache.flink.util.Preconditions;

/**
 * Builds an {@link SnsAlertSink}, checking every setting against the limits of SNS {@code
 * PublishBatch} so that a wrong value fails when the job is built, not on the first alert.
 *
 * <p>Defaults:
 *
 * <ul>
 *   <li>{@code maxBatchSize} 10: SNS takes at most {@value #MAX_ENTRIES_PER_BATCH} entries per
 *       request;
 *   <li>{@code maxBatchSizeInBytes} 262,144: SNS's limit on the total payload of a request;
 *   <li>{@code maxRecordSizeInBytes} 262,144: SNS's limit on one message (body and attributes);
 *   <li>{@code maxInFlightRequests} 1: alerts are few, and one request at a time keeps one
 *       subtask's alerts in order (an OK is not published before the ALARM it resolves), except
 *       that an entry retried after a partial failure goes after the entries of its batch that went
 *       through;
 *   <li>{@code maxBufferedRequests} 1,000 alerts;
 *   <li>{@code maxTimeInBuffer} 1 s ({@code sns.max-time-in-buffer}): a page should not wait for a
 *       fuller request;
 *   <li>{@code requestTimeout} 1 min, after which the request's entries are sent again ({@code
 *       failOnTimeout} false);
 *   <li>client: from {@link AwsConnection} ({@code aws.*}); dead letters: {@link
 *       LoggingSinkDeadLetters}.
 * </ul>
 *
 * <p>The three topic ARNs are required.
 */
public final class SnsAlertSinkBuilder
        extends AwsSinkBuilder<Alert, AlertMessage, SnsAlertSinkBuilder> {

    /** SNS: at most 10 entries in one {@code PublishBatch}. */
    public static final int MAX_ENTRIES_PER_BATCH = 10;

    /** SNS: at most 256 KiB for all messages of one {@code PublishBatch} together. */
    public static final long MAX_BATCH_BYTES = 262_144L;

    /** SNS: at most 256 KiB for one message, attributes included. */
    public static final long MAX_MESSAGE_BYTES = 262_144L;

    private static final SinkBuffering DEFAULTS =
            new SinkBuffering(
                    MAX_ENTRIES_PER_BATCH,
                    1,
                    1_000,
                    MAX_BATCH_BYTES,
                    1_000L,
                    MAX_MESSAGE_BYTES,
                    Duration.ofMinutes(1).toMillis(),
                    false);

    private String criticalTopicArn;
    private String warningTopicArn;
    private String mlTopicArn;
    private SnsClientProvider clientProvider;
    private SinkDeadLetters deadLetters = new LoggingSinkDeadLetters();

    SnsAlertSinkBuilder() {}

    /** A builder set from {@code sns.*} and {@code aws.*}, for further changes before build. */
    public static SnsAlertSinkBuilder fromConfig(MonitorConfig config) {
        return new SnsAlertSinkBuilder()
                .setCriticalTopicArn(config.get(Settings.SNS_CRITICAL_TOPIC_ARN))
                .setWarningTopicArn(config.get(Settings.SNS_WARNING_TOPIC_ARN))
                .setMlTopicArn(config.get(Settings.SNS_ML_TOPIC_ARN))
                .setMaxTimeInBufferMS(config.get(Settings.SNS_MAX_TIME_IN_BUFFER).toMillis())
                .setClientProvider(SnsClientProvider.from(AwsConnection.fromConfig(config)));
    }

    /** Topic of route {@code critical} and of critical alerts with an unknown route. */
    public SnsAlertSinkBuilder setCriticalTopicArn(String arn) {
        this.criticalTopicArn = arn;
        return this;
    }

    /** Topic of route {@code warning} and of other alerts with an unknown route. */
    public SnsAlertSinkBuilder setWarningTopicArn(String arn) {
        this.warningTopicArn = arn;
        return this;
    }

    /** Topic of route {@code ml}. */
    public SnsAlertSinkBuilder setMlTopicArn(String arn) {
        this.mlTopicArn = arn;
        return this;
    }

    public SnsAlertSinkBuilder setClientProvider(SnsClientProvider clientProvider) {
        this.clientProvider = clientProvider;
        return this;
    }

    public SnsAlertSinkBuilder setDeadLetters(SinkDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        return this;
    }

    /**
     * The sink.
     *
     * @throws IllegalArgumentException if a setting breaks an SNS limit or a topic ARN is missing
     * @throws NullPointerException if the client provider or dead letters are missing
     */
    @Override
    public SnsAlertSink build() {
        checkTopic(criticalTopicArn, Settings.SNS_CRITICAL_TOPIC_ARN.key());
        checkTopic(warningTopicArn, Settings.SNS_WARNING_TOPIC_ARN.key());
        checkTopic(mlTopicArn, Settings.SNS_ML_TOPIC_ARN.key());
        Preconditions.checkNotNull(clientProvider, "An SNS client provider is required");
        Preconditions.checkNotNull(deadLetters, "Dead letters are required");
        SinkBuffering buffering = buffering(DEFAULTS);
        String limit = "SNS PublishBatch limit";
        SinkBuffering.checkWithin(
                "maxBatchSize", buffering.maxBatchSize(), 1, MAX_ENTRIES_PER_BATCH, limit);
        SinkBuffering.checkWithin(
                "maxBatchSizeInBytes", buffering.maxBatchSizeInBytes(), 1, MAX_BATCH_BYTES, limit);
        SinkBuffering.checkWithin(
                "maxRecordSizeInBytes",
                buffering.maxRecordSizeInBytes(),
                1,
                MAX_MESSAGE_BYTES,
                "SNS message limit");
        return new SnsAlertSink(
                new AlertRouting(criticalTopicArn, warningTopicArn, mlTopicArn),
                clientProvider,
                deadLetters,
                buffering.checked());
    }

    private static void checkTopic(String arn, String key) {
        Preconditions.checkArgument(
                arn != null && arn.startsWith("arn:") && arn.contains(":sns:"),
                "%s must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:name, was"
                        + " '%s'",
                key,
                arn);
    }
}
