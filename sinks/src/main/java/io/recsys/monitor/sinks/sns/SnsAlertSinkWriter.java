package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsFailure;
import io.recsys.monitor.sinks.aws.AwsSinkWriter;
import io.recsys.monitor.sinks.aws.RetryBound;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Publishes the buffered alerts of one subtask with SNS {@code PublishBatch}.
 *
 * <p>A batch from the buffer may hold alerts for several topics, and a {@code PublishBatch} goes to
 * one topic, so each batch becomes one request per topic, sent together; the batch is done when all
 * have answered. Entries that failed for a passing reason are retried one by one; entries SNS will
 * never take go to the dead letters; a topic that does not exist or may not be written fails the
 * job (see {@link SnsErrorClassifier}).
 */
class SnsAlertSinkWriter extends AwsSinkWriter<Alert, AlertMessage, SnsAsyncClient> {
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertSinkWriter.class);

    private final AlertRouting routing;
    private final SinkDeadLetters deadLetters;
    private final RetryBound retryBound;
    private final Counter published;
    private final Counter retried;
    private final Counter rejected;

    SnsAlertSinkWriter(
            SnsAlertSink sink,
            WriterInitContext context,
            Collection<BufferedRequestState<AlertMessage>> restored,
            SnsClientProvider clientProvider,
            SinkDeadLetters deadLetters) {
        super(sink, context, restored, clientProvider.create());
        this.routing = sink.routing();
        this.deadLetters = deadLetters;
        this.published = counter(context, SnsAlertSink.PUBLISHED_METRIC);
        this.retried = counter(context, SnsAlertSink.RETRIED_METRIC);
        this.rejected = counter(context, SnsAlertSink.REJECTED_METRIC);
        this.retryBound = RetryBound.ofDefault();
    }

    @Override
    protected void submitRequestEntries(
            List<AlertMessage> entries, ResultHandler<AlertMessage> resultHandler) {
        Map<String, List<AlertMessage>> byTopic = new LinkedHashMap<>();
        for (AlertMessage entry : entries) {
            byTopic.computeIfAbsent(entry.topicArn, t -> new ArrayList<>()).add(entry);
        }
        BatchOutcome outcome = new BatchOutcome(byTopic.size(), resultHandler);
        for (Map.Entry<String, List<AlertMessage>> topic : byTopic.entrySet()) {
            call(() -> client.publishBatch(request(topic.getKey(), topic.getValue())))
                    .whenComplete(
                            (response, error) -> {
                                try {
                                    handle(
                                            topic.getKey(),
                                            topic.getValue(),
                                            response,
                                            error,
                                            outcome);
                                } catch (RuntimeException e) {
                                    // A bug here must fail the job, not leave the batch unanswered
                                    // and the writer's flush waiting forever.
                                    outcome.fail(e);
                                }
                            });
        }
    }

    private void handle(
            String topicArn,
            List<AlertMessage> entries,
            PublishBatchResponse response,
            Throwable error,
            BatchOutcome outcome) {
        if (error != null) {
            // isFatal answers false when a classifier of the chain took the error as fatal.
            if (!SnsErrorClassifier.fatalErrors(topicArn, routing.configKeysOf(topicArn))
                    .isFatal(error, outcome::fail)) {
                return;
            }
            if (retryBound.exhausted()) {
                outcome.fail(
                        new SnsAlertSinkException(
                                "SNS PublishBatch to topic "
                                        + topicArn
                                        + " has failed with throttling or network errors for more"
                                        + " than "
                                        + retryBound.limit()
                                        + " (last: "
                                        + AwsFailure.describe(error)
                                        + "). Failing so that the restart strategy takes over;"
                                        + " buffered alerts are kept in the checkpoint.",
                                AwsFailure.unwrap(error)));
                return;
            }
            LOG.warn(
                    "event=sns_publish_retry topic={} entries={} error=\"{}\"",
                    topicArn,
                    entries.size(),
                    AwsFailure.describe(error));
            retried.inc(entries.size());
            outcome.retry(entries);
            return;
        }
        retryBound.succeeded();
        Map<String, AlertMessage> pending = new HashMap<>();
        for (AlertMessage entry : entries) {
            pending.put(entry.batchEntryId, entry);
        }
        for (PublishBatchResultEntry success : response.successful()) {
            if (pending.remove(success.id()) != null) {
                published.inc();
            }
        }
        List<AlertMessage> again = new ArrayList<>();
        for (BatchResultErrorEntry failure : response.failed()) {
            AlertMessage entry = pending.remove(failure.id());
            if (entry == null) {
                continue;
            }
            if (SnsErrorClassifier.ofEntry(failure) == SnsErrorClassifier.Verdict.REJECT) {
                reject(entry, failure);
            } else {
                again.add(entry);
            }
        }
        if (!pending.isEmpty()) {
            // Neither published nor failed: SNS gave no verdict (the emulator does this for a
            // subject over 100 characters), so they are sent again rather than lost.
            LOG.warn("event=sns_publish_no_verdict topic={} entries={}", topicArn, pending.size());
            again.addAll(pending.values());
        }
        retried.inc(again.size());
        outcome.retry(again);
    }

    private void reject(AlertMessage entry, BatchResultErrorEntry failure) {
        rejected.inc();
        deadLetters.accept(
                new DeadLetter(
                        DeadLetter.Reason.REJECTED_BY_SINK,
                        "SNS rejected alert '"
                                + entry.subject
                                + "': "
                                + failure.code()
                                + ": "
                                + failure.message(),
                        entry.message,
                        "sns:" + entry.topicArn,
                        System.currentTimeMillis()));
    }

    private static PublishBatchRequest request(String topicArn, List<AlertMessage> entries) {
        List<PublishBatchRequestEntry> requestEntries = new ArrayList<>(entries.size());
        for (AlertMessage entry : entries) {
            requestEntries.add(
                    PublishBatchRequestEntry.builder()
                            .id(entry.batchEntryId)
                            .subject(entry.subject)
                            .message(entry.message)
                            .messageAttributes(
                                    stringAttributes(
                                            entry.messageAttributes,
                                            text ->
                                                    MessageAttributeValue.builder()
                                                            .dataType("String")
                                                            .stringValue(text)
                                                            .build()))
                            .messageGroupId(entry.messageGroupId)
                            .messageDeduplicationId(entry.messageDeduplicationId)
                            .build());
        }
        return PublishBatchRequest.builder()
                .topicArn(topicArn)
                .publishBatchRequestEntries(requestEntries)
                .build();
    }

    @Override
    protected long getSizeInBytes(AlertMessage entry) {
        return entry.sizeInBytes();
    }

    /**
     * Joins the answers of the per-topic requests of one batch into the one call the result handler
     * takes: fail if any topic failed for good, else retry whatever any topic left over.
     */
    private static final class BatchOutcome {
        private final AtomicInteger outstanding;
        private final ResultHandler<AlertMessage> handler;
        private final List<AlertMessage> retries = new ArrayList<>();
        private Exception failure;

        BatchOutcome(int requests, ResultHandler<AlertMessage> handler) {
            this.outstanding = new AtomicInteger(requests);
            this.handler = handler;
        }

        void retry(List<AlertMessage> entries) {
            synchronized (this) {
                retries.addAll(entries);
            }
            done();
        }

        void fail(Exception e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            done();
        }

        private void done() {
            if (outstanding.decrementAndGet() > 0) {
                return;
            }
            synchronized (this) {
                if (failure != null) {
                    handler.completeExceptionally(failure);
                } else if (!retries.isEmpty()) {
                    handler.retryForEntries(new ArrayList<>(retries));
                } else {
                    handler.complete();
                }
            }
        }
    }
}
