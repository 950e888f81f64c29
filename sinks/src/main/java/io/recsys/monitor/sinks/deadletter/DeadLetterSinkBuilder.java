package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.aws.AwsSinkBuilder;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import java.time.Duration;
import org.apache.flink.util.Preconditions;

/**
 * Builds a {@link DeadLetterSink}, checking every setting against the limits of its destination's
 * batch call so that a wrong value fails when the job is built, not on the first dead letter.
 *
 * <p>Defaults (set when the destination is chosen):
 *
 * <ul>
 *   <li>{@code maxBatchSize}: SQS 10, Kinesis 500 entries per request, the services' limits;
 *   <li>{@code maxBatchSizeInBytes}: SQS 256 KiB, Kinesis 5 MiB per request, the services' limits;
 *   <li>{@code maxRecordSizeInBytes}: SQS 256 KiB per message, Kinesis 1 MiB per record; a larger
 *       dead letter is cut to fit by the converter and says so;
 *   <li>{@code maxInFlightRequests} 4, {@code maxBufferedRequests}: SQS 100, Kinesis 1,000 (ten and
 *       two full requests; a flood of bad input slows the job rather than filling its memory);
 *   <li>{@code maxTimeInBuffer} 1 s, {@code requestTimeout} 1 min (entries then sent again);
 *   <li>{@code maxAttempts} 10 sends per entry, with a backoff from 200 ms doubling up to 10 s;
 *   <li>clients: from {@link AwsConnection} ({@code aws.*}).
 * </ul>
 */
public final class DeadLetterSinkBuilder
        extends AwsSinkBuilder<DeadLetter, DeadLetterEntry, DeadLetterSinkBuilder> {
    private DeadLetterDestination destination;
    private String target;
    private DeadLetterClients clients;
    private int maxAttempts = 10;
    private long initialBackoffMs = 200L;
    private long maxBackoffMs = 10_000L;

    DeadLetterSinkBuilder() {}

    /**
     * A builder set from {@code dead-letter.*} and {@code aws.*}, for further changes before build.
     *
     * @throws IllegalArgumentException if {@code dead-letter.destination} is {@code log}
     */
    public static DeadLetterSinkBuilder fromConfig(MonitorConfig config) {
        DeadLetterDestination destination =
                DeadLetterDestination.ofConfig(config.get(Settings.DEAD_LETTER_DESTINATION));
        Preconditions.checkArgument(
                destination != null,
                "dead-letter.destination=log keeps dead letters in the log only: no sink to build");
        DeadLetterSinkBuilder builder =
                new DeadLetterSinkBuilder()
                        .setClients(DeadLetterClients.from(AwsConnection.fromConfig(config)));
        return destination == DeadLetterDestination.SQS
                ? builder.setSqsQueueUrl(config.get(Settings.DEAD_LETTER_SQS_QUEUE_URL))
                : builder.setKinesisStream(config.get(Settings.DEAD_LETTER_KINESIS_STREAM));
    }

    /** Dead letters go to the SQS queue at {@code queueUrl}. */
    public DeadLetterSinkBuilder setSqsQueueUrl(String queueUrl) {
        this.destination = DeadLetterDestination.SQS;
        this.target = queueUrl;
        return this;
    }

    /** Dead letters go to the Kinesis stream named {@code streamName}. */
    public DeadLetterSinkBuilder setKinesisStream(String streamName) {
        this.destination = DeadLetterDestination.KINESIS;
        this.target = streamName;
        return this;
    }

    public DeadLetterSinkBuilder setClients(DeadLetterClients clients) {
        this.clients = clients;
        return this;
    }

    /** Sends of one entry before the job fails (1: no retry). */
    public DeadLetterSinkBuilder setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** Backoff before the first retry, doubled for each further one up to {@code maxBackoff}. */
    public DeadLetterSinkBuilder setBackoff(Duration initial, Duration max) {
        this.initialBackoffMs = initial.toMillis();
        this.maxBackoffMs = max.toMillis();
        return this;
    }

    /**
     * The sink.
     *
     * @throws IllegalArgumentException if no destination is chosen or a setting breaks its limits
     * @throws NullPointerException if the clients are missing
     */
    @Override
    public DeadLetterSink build() {
        Preconditions.checkArgument(
                destination != null && target != null && !target.isEmpty(),
                "A dead-letter SQS queue URL or Kinesis stream name is required");
        Preconditions.checkNotNull(clients, "Dead-letter clients are required");
        SinkBuffering buffering =
                buffering(
                        new SinkBuffering(
                                destination.maxEntriesPerRequest(),
                                4,
                                destination == DeadLetterDestination.SQS ? 100 : 1_000,
                                destination.maxRequestBytes(),
                                1_000L,
                                destination.maxEntryBytes(),
                                Duration.ofMinutes(1).toMillis(),
                                false));
        String limit =
                (destination == DeadLetterDestination.SQS
                                ? "SQS SendMessageBatch"
                                : "Kinesis PutRecords")
                        + " limit";
        SinkBuffering.checkWithin(
                "maxBatchSize",
                buffering.maxBatchSize(),
                1,
                destination.maxEntriesPerRequest(),
                limit);
        SinkBuffering.checkWithin(
                "maxBatchSizeInBytes",
                buffering.maxBatchSizeInBytes(),
                1,
                destination.maxRequestBytes(),
                limit);
        // The converter cuts a raw line to fit; below 1 KiB the attributes alone may not fit.
        SinkBuffering.checkWithin(
                "maxRecordSizeInBytes",
                buffering.maxRecordSizeInBytes(),
                1024,
                destination.maxEntryBytes(),
                limit);
        Preconditions.checkArgument(
                maxAttempts >= 1, "maxAttempts must be at least 1, was %s", maxAttempts);
        Preconditions.checkArgument(
                initialBackoffMs >= 1 && maxBackoffMs >= initialBackoffMs,
                "backoff must be positive and its maximum at least its start, was %s ms to %s ms",
                initialBackoffMs,
                maxBackoffMs);
        return new DeadLetterSink(
                destination,
                target,
                clients,
                buffering.checked(),
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs);
    }
}
