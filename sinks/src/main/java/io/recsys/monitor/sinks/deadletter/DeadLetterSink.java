package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsBatchSink;
import io.recsys.monitor.sinks.aws.SinkBuffering;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Keeps the job's dead letters, raw line included, in an Amazon SQS queue ({@code
 * SendMessageBatch}) or an Amazon Kinesis stream ({@code PutRecords}), so that bad input can be
 * inspected and replayed after it was rejected (see {@link DeadLetterEntryConverter} for the
 * message and record formats).
 *
 * <p>Delivery is at least once: dead letters buffered at a checkpoint are kept in it. Entries the
 * service could not take for a passing reason (throttling, 5xx, timeouts, per-entry failures) are
 * retried after a doubling backoff, at most {@code maxAttempts} times, after which the job fails
 * and its restart strategy takes over. A queue or stream that does not exist or may not be written
 * fails the job without restart ({@code UnrecoverableFailure}) with a message naming it and the IAM
 * action to grant. The writer counts {@value #DELIVERED_METRIC}, {@value #RETRIED_METRIC} and
 * {@value #REJECTED_METRIC}.
 *
 * <p>Build one with {@link #builder()} or {@link #fromConfig(MonitorConfig)}.
 */
public final class DeadLetterSink extends AwsBatchSink<DeadLetter, DeadLetterEntry> {
    private static final long serialVersionUID = 1L;

    /** Counter of dead letters the queue or stream accepted. */
    public static final String DELIVERED_METRIC = "deadLettersDelivered";

    /** Counter of entries sent again after a passing failure. */
    public static final String RETRIED_METRIC = "deadLetterEntriesRetried";

    /** Counter of dead letters SQS refused for good (logged without their text). */
    public static final String REJECTED_METRIC = "deadLettersRejected";

    private final DeadLetterDestination destination;
    private final String target;
    private final DeadLetterClients clients;
    final int maxAttempts;
    final long initialBackoffMs;
    final long maxBackoffMs;

    DeadLetterSink(
            DeadLetterDestination destination,
            String target,
            DeadLetterClients clients,
            SinkBuffering buffering,
            int maxAttempts,
            long initialBackoffMs,
            long maxBackoffMs) {
        super(
                new DeadLetterEntryConverter(destination, buffering.maxRecordSizeInBytes()),
                buffering);
        this.destination = destination;
        this.target = target;
        this.clients = clients;
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /** A builder with the defaults listed on {@link DeadLetterSinkBuilder}. */
    public static DeadLetterSinkBuilder builder() {
        return new DeadLetterSinkBuilder();
    }

    /**
     * The sink of a production run: destination from {@code dead-letter.destination} (sqs or
     * kinesis), its queue URL or stream name, clients from {@code aws.*}.
     */
    public static DeadLetterSink fromConfig(MonitorConfig config) {
        return DeadLetterSinkBuilder.fromConfig(config).build();
    }

    public DeadLetterDestination destination() {
        return destination;
    }

    /** The queue URL or the stream name. */
    public String target() {
        return target;
    }

    @Override
    public StatefulSinkWriter<DeadLetter, BufferedRequestState<DeadLetterEntry>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<DeadLetterEntry>> restored) {
        if (destination == DeadLetterDestination.SQS) {
            return new DeadLetterSinkWriter<>(
                    this,
                    context,
                    restored,
                    clients.sqs(),
                    (sqs, entries) ->
                            sqs.sendMessageBatch(SqsDeadLetterWriter.request(target, entries))
                                    .thenApply(r -> SqsDeadLetterWriter.outcome(entries, r)));
        }
        return new DeadLetterSinkWriter<>(
                this,
                context,
                restored,
                clients.kinesis(),
                (kinesis, entries) ->
                        kinesis.putRecords(KinesisDeadLetterWriter.request(target, entries))
                                .thenApply(r -> KinesisDeadLetterWriter.outcome(entries, r)));
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<DeadLetterEntry>>
            getWriterStateSerializer() {
        return new DeadLetterEntryStateSerializer();
    }
}
