package io.recsys.monitor.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/** The requests the writers send and how they read the per-entry answers. */
class DeadLetterRequestsTest {
    private static final String QUEUE = "http://127.0.0.1:5000/123456789012/dl";

    private static List<DeadLetterEntry> sqsEntries(int n) {
        List<DeadLetterEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(
                    DeadLetterEntryConverter.sqsMessage(
                            new DeadLetter(
                                    DeadLetter.Reason.MISSING_FIELD,
                                    "missing required field 'request_id'",
                                    "line-" + i,
                                    "kinesis:predictions",
                                    1000L + i),
                            DeadLetterDestination.SQS.maxEntryBytes()));
        }
        return entries;
    }

    @Test
    void sqsRequestHasOneMessagePerEntryWithStringAttributes() {
        List<DeadLetterEntry> entries = sqsEntries(3);
        SendMessageBatchRequest request = SqsDeadLetterWriter.request(QUEUE, entries);
        assertThat(request.queueUrl()).isEqualTo(QUEUE);
        assertThat(request.entries()).hasSize(3);
        assertThat(request.entries().get(1).id()).isEqualTo(entries.get(1).entryId);
        assertThat(request.entries().get(1).messageBody()).isEqualTo("line-1");
        assertThat(request.entries().get(1).messageAttributes().get("category").dataType())
                .isEqualTo("String");
        assertThat(request.entries().get(1).messageAttributes().get("category").stringValue())
                .isEqualTo("missing_field");
        assertThat(request.entries().get(1).messageAttributes().get("source").stringValue())
                .isEqualTo("kinesis:predictions");
    }

    @Test
    void sqsPartialFailureRetriesPassingFailuresAndUnansweredEntriesOnly() {
        List<DeadLetterEntry> entries = sqsEntries(4);
        SendMessageBatchResponse response =
                SendMessageBatchResponse.builder()
                        .successful(
                                SendMessageBatchResultEntry.builder()
                                        .id(entries.get(0).entryId)
                                        .build())
                        .failed(
                                BatchResultErrorEntry.builder()
                                        .id(entries.get(1).entryId)
                                        .code("InternalError")
                                        .senderFault(false)
                                        .build(),
                                BatchResultErrorEntry.builder()
                                        .id(entries.get(2).entryId)
                                        .code("InvalidMessageContents")
                                        .senderFault(true)
                                        .build())
                        .build();
        DeadLetterSinkWriter.Outcome outcome = SqsDeadLetterWriter.outcome(entries, response);
        assertThat(outcome.delivered).isEqualTo(1);
        assertThat(outcome.rejected).isEqualTo(1);
        assertThat(outcome.retry).containsExactlyInAnyOrder(entries.get(1), entries.get(3));
    }

    @Test
    void kinesisRequestAndPerRecordRetries() {
        List<DeadLetterEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(
                    DeadLetterEntryConverter.kinesisRecord(
                            new DeadLetter(DeadLetter.Reason.INVALID_JSON, "bad", "l" + i, "s", i),
                            DeadLetterDestination.KINESIS.maxEntryBytes()));
        }
        PutRecordsRequest request = KinesisDeadLetterWriter.request("dl", entries);
        assertThat(request.streamName()).isEqualTo("dl");
        assertThat(request.records()).hasSize(3);
        assertThat(request.records().get(2).data().asUtf8String()).isEqualTo(entries.get(2).body);
        assertThat(request.records().get(2).partitionKey()).isEqualTo(entries.get(2).partitionKey);

        PutRecordsResponse response =
                PutRecordsResponse.builder()
                        .failedRecordCount(1)
                        .records(
                                PutRecordsResultEntry.builder()
                                        .sequenceNumber("1")
                                        .shardId("s")
                                        .build(),
                                PutRecordsResultEntry.builder()
                                        .errorCode("ProvisionedThroughputExceededException")
                                        .build(),
                                PutRecordsResultEntry.builder()
                                        .sequenceNumber("2")
                                        .shardId("s")
                                        .build())
                        .build();
        DeadLetterSinkWriter.Outcome outcome = KinesisDeadLetterWriter.outcome(entries, response);
        assertThat(outcome.delivered).isEqualTo(2);
        assertThat(outcome.retry).containsExactly(entries.get(1));
    }

    @Test
    void stateSerializerKeepsEveryField() throws Exception {
        DeadLetterEntryStateSerializer serializer = new DeadLetterEntryStateSerializer();
        for (DeadLetterEntry entry : sqsEntries(2)) {
            entry.body = "\u20ac".repeat(30_000);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            serializer.write(entry, new java.io.DataOutputStream(bytes));
            DeadLetterEntry back =
                    serializer.read(
                            new java.io.DataInputStream(
                                    new java.io.ByteArrayInputStream(bytes.toByteArray())));
            assertThat(back).isEqualTo(entry);
            assertThat(back.attributes).isEqualTo(entry.attributes);
        }
        DeadLetterEntry kinesis =
                DeadLetterEntryConverter.kinesisRecord(
                        new DeadLetter(DeadLetter.Reason.INVALID_JSON, "bad", "x", "s", 1),
                        DeadLetterDestination.KINESIS.maxEntryBytes());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        serializer.write(kinesis, new java.io.DataOutputStream(bytes));
        assertThat(
                        serializer.read(
                                new java.io.DataInputStream(
                                        new java.io.ByteArrayInputStream(bytes.toByteArray()))))
                .isEqualTo(kinesis);
    }
}
