package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SQS and Kinesis writers share: a request's answer turned into the one call the result
 * handler takes, and the retry of entries that failed for a passing reason after an exponential
 * backoff, at most {@code maxAttempts} sends per entry (the async sink base itself retries at once
 * and forever). Each writer only builds its request and reads its response ({@link #send}).
 */
abstract class DeadLetterSinkWriter extends AsyncSinkWriter<DeadLetter, DeadLetterEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSinkWriter.class);

    /** The answer to one request: entries to send again; everything else was delivered. */
    static final class Outcome {
        final List<DeadLetterEntry> retry = new ArrayList<>();
        int delivered;
        int rejected;
    }

    private final DeadLetterDestination destination;
    private final String target;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final Counter delivered;
    private final Counter retried;
    private final Counter rejected;
    private final ScheduledExecutorService backoff;

    DeadLetterSinkWriter(
            ElementConverter<DeadLetter, DeadLetterEntry> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<DeadLetterEntry>> restored,
            DeadLetterDestination destination,
            String target,
            int maxAttempts,
            long initialBackoffMs,
            long maxBackoffMs) {
        super(converter, context, configuration, restored);
        this.destination = destination;
        this.target = target;
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.delivered = context.metricGroup().counter(DeadLetterSink.DELIVERED_METRIC);
        this.retried = context.metricGroup().counter(DeadLetterSink.RETRIED_METRIC);
        this.rejected = context.metricGroup().counter(DeadLetterSink.REJECTED_METRIC);
        this.backoff =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t =
                                    new Thread(r, "dead-letter-retry-" + destination.configName());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Sends one request; the future fails only when the request failed as a whole. */
    abstract CompletableFuture<Outcome> send(List<DeadLetterEntry> entries);

    /** Frees the writer's client. */
    abstract void closeClient();

    @Override
    protected final void submitRequestEntries(
            List<DeadLetterEntry> entries, ResultHandler<DeadLetterEntry> handler) {
        CompletableFuture<Outcome> sent;
        try {
            sent = send(entries);
        } catch (RuntimeException e) {
            // Some SDK failures (and test clients) throw instead of failing the future.
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete(
                (outcome, error) -> {
                    try {
                        handle(entries, outcome, error, handler);
                    } catch (RuntimeException e) {
                        // A bug here must fail the job, not leave the request unanswered and the
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
            if (DeadLetterErrorClassifier.fatalErrors(destination, target)
                    .isFatal(error, handler::completeExceptionally)) {
                LOG.warn(
                        "event=dead_letter_send_retry destination={} entries={} error=\"{}\"",
                        destination.configName(),
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
        if (attempt >= maxAttempts) {
            handler.completeExceptionally(
                    new DeadLetterSinkException(
                            "Dead letters to "
                                    + destination.configName()
                                    + " "
                                    + target
                                    + " still failed after "
                                    + attempt
                                    + " attempts"
                                    + (last == null ? "" : " (" + AwsFailure.describe(last) + ")")
                                    + "; the job restarts from its last checkpoint",
                            last == null ? null : AwsFailure.unwrap(last)));
            return;
        }
        retried.inc(entries.size());
        long delay = Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempt - 1, 20));
        List<DeadLetterEntry> again = new ArrayList<>(entries);
        backoff.schedule(() -> handler.retryForEntries(again), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    protected final long getSizeInBytes(DeadLetterEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            backoff.shutdownNow();
            closeClient();
        }
    }
}
