package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsFailure;
import io.recsys.monitor.sinks.aws.AwsSinkWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The writer of the dead-letter sink, whatever its destination: a request's answer turned into the
 * one call the result handler takes, and the retry of entries that failed for a passing reason
 * after an exponential backoff, at most {@code maxAttempts} sends per entry (the async sink base
 * itself retries at once and forever). The destination's {@link BatchCall} only builds its request
 * and reads its response.
 *
 * @param <C> the client of the destination
 */
final class DeadLetterSinkWriter<C extends SdkAutoCloseable>
        extends AwsSinkWriter<DeadLetter, DeadLetterEntry, C> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSinkWriter.class);

    /** The answer to one request: entries to send again; everything else was delivered. */
    static final class Outcome {
        final List<DeadLetterEntry> retry = new ArrayList<>();
        int delivered;
        int rejected;
    }

    /** The batch call of a destination (SQS or Kinesis) with its client. */
    interface BatchCall<C> {
        /** Sends one request; the future fails only when the request failed as a whole. */
        CompletableFuture<Outcome> send(C client, List<DeadLetterEntry> entries);
    }

    private final DeadLetterSink sink;
    private final BatchCall<C> batchCall;
    private final Counter delivered;
    private final Counter retried;
    private final Counter rejected;
    private final ScheduledExecutorService backoff;

    DeadLetterSinkWriter(
            DeadLetterSink sink,
            WriterInitContext context,
            Collection<BufferedRequestState<DeadLetterEntry>> restored,
            C client,
            BatchCall<C> batchCall) {
        super(sink, context, restored, client);
        this.sink = sink;
        this.batchCall = batchCall;
        this.delivered = counter(context, DeadLetterSink.DELIVERED_METRIC);
        this.retried = counter(context, DeadLetterSink.RETRIED_METRIC);
        this.rejected = counter(context, DeadLetterSink.REJECTED_METRIC);
        this.backoff =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t =
                                    new Thread(
                                            r,
                                            "dead-letter-retry-" + sink.destination().configName());
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    protected void submitRequestEntries(
            List<DeadLetterEntry> entries, ResultHandler<DeadLetterEntry> handler) {
        call(() -> batchCall.send(client, entries))
                .whenComplete(
                        (outcome, error) -> {
                            try {
                                handle(entries, outcome, error, handler);
                            } catch (RuntimeException e) {
                                // A bug here must fail the job, not leave the request unanswered
                                // and the
                                // writer's flush waiting forever.
                                handler.completeExceptionally(e);
                            }
                        });
    }

    private void handle(
            List<DeadLetterEntry> entries,
            Outcome outcome,
            Throwable error,
            ResultHandler<DeadLetterEntry> handler) {
        if (error != null) {
            // isFatal answers false when a classifier of the chain took the error as fatal.
            if (DeadLetterErrorClassifier.fatalErrors(sink.destination(), sink.target())
                    .isFatal(error, handler::completeExceptionally)) {
                LOG.warn(
                        "event=dead_letter_send_retry destination={} entries={} error=\"{}\"",
                        sink.destination().configName(),
                        entries.size(),
                        AwsFailure.describe(error));
                retryLater(entries, handler, error);
            }
            return;
        }
        delivered.inc(outcome.delivered);
        rejected.inc(outcome.rejected);
        if (outcome.retry.isEmpty()) {
            handler.complete();
        } else {
            retryLater(outcome.retry, handler, null);
        }
    }

    /**
     * Hands {@code entries} back to the buffer after a backoff that doubles with their attempts, or
     * fails the job once one of them has been sent {@code maxAttempts} times.
     */
    private void retryLater(
            List<DeadLetterEntry> entries, ResultHandler<DeadLetterEntry> handler, Throwable last) {
        int attempt = 0;
        for (DeadLetterEntry entry : entries) {
            entry.attempts++;
            attempt = Math.max(attempt, entry.attempts);
        }
        if (attempt >= sink.maxAttempts) {
            handler.completeExceptionally(
                    new DeadLetterSinkException(
                            "Dead letters to "
                                    + sink.destination().configName()
                                    + " "
                                    + sink.target()
                                    + " still failed after "
                                    + attempt
                                    + " attempts"
                                    + (last == null ? "" : " (" + AwsFailure.describe(last) + ")")
                                    + "; the job restarts from its last checkpoint",
                            last == null ? null : AwsFailure.unwrap(last)));
            return;
        }
        retried.inc(entries.size());
        long delay =
                Math.min(sink.maxBackoffMs, sink.initialBackoffMs << Math.min(attempt - 1, 20));
        List<DeadLetterEntry> again = new ArrayList<>(entries);
        backoff.schedule(() -> handler.retryForEntries(again), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    protected long getSizeInBytes(DeadLetterEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void close() {
        backoff.shutdownNow();
        super.close();
    }
}
