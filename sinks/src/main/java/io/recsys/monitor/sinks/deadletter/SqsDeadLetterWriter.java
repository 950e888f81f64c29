package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.sinks.aws.AwsSinkWriter;
import io.recsys.monitor.sinks.deadletter.DeadLetterSinkWriter.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends dead letters to one SQS queue with {@code SendMessageBatch}. An entry SQS failed with
 * {@code senderFault=false} is retried; one with {@code senderFault=true} will never be taken and
 * is logged (without its text) and counted; an entry SQS gave no verdict on is sent again.
 */
final class SqsDeadLetterWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqsDeadLetterWriter.class);

    private SqsDeadLetterWriter() {}

    static SendMessageBatchRequest request(String queueUrl, List<DeadLetterEntry> entries) {
        List<SendMessageBatchRequestEntry> requestEntries = new ArrayList<>(entries.size());
        for (DeadLetterEntry entry : entries) {
            requestEntries.add(
                    SendMessageBatchRequestEntry.builder()
                            .id(entry.entryId)
                            .messageBody(entry.body)
                            .messageAttributes(
                                    AwsSinkWriter.stringAttributes(
                                            entry.attributes,
                                            text ->
                                                    MessageAttributeValue.builder()
                                                            .dataType("String")
                                                            .stringValue(text)
                                                            .build()))
                            .build());
        }
        return SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(requestEntries).build();
    }

    static Outcome outcome(List<DeadLetterEntry> entries, SendMessageBatchResponse response) {
        Outcome outcome = new Outcome();
        Map<String, DeadLetterEntry> pending = new HashMap<>();
        for (DeadLetterEntry entry : entries) {
            pending.put(entry.entryId, entry);
        }
        for (SendMessageBatchResultEntry success : response.successful()) {
            if (pending.remove(success.id()) != null) {
                outcome.delivered++;
            }
        }
        for (BatchResultErrorEntry failure : response.failed()) {
            DeadLetterEntry entry = pending.remove(failure.id());
            if (entry == null) {
                continue;
            }
            if (Boolean.TRUE.equals(failure.senderFault())) {
                outcome.rejected++;
                LOG.warn(
                        "event=dead_letter_rejected destination=sqs category={} code={}"
                                + " message=\"{}\" body_bytes={}",
                        entry.attributes == null ? null : entry.attributes.get("category"),
                        failure.code(),
                        failure.message(),
                        DeadLetterEntry.utf8Length(entry.body));
            } else {
                outcome.retry.add(entry);
            }
        }
        // Neither sent nor failed: SQS gave no verdict, so they are sent again rather than lost.
        outcome.retry.addAll(pending.values());
        return outcome;
    }
}
