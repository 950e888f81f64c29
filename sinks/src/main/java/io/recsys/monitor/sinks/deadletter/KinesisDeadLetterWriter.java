package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.sinks.deadletter.DeadLetterSinkWriter.Outcome;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Puts dead letters into one Kinesis stream with {@code PutRecords}. The response lists one result
 * per record in request order; a record with an error code (throughput exceeded, internal failure)
 * is sent again.
 */
final class KinesisDeadLetterWriter {
    private KinesisDeadLetterWriter() {}

    static PutRecordsRequest request(String streamName, List<DeadLetterEntry> entries) {
        List<PutRecordsRequestEntry> records = new ArrayList<>(entries.size());
        for (DeadLetterEntry entry : entries) {
            records.add(
                    PutRecordsRequestEntry.builder()
                            .data(SdkBytes.fromUtf8String(entry.body))
                            .partitionKey(entry.partitionKey)
                            .build());
        }
        return PutRecordsRequest.builder().streamName(streamName).records(records).build();
    }

    static Outcome outcome(List<DeadLetterEntry> entries, PutRecordsResponse response) {
        Outcome outcome = new Outcome();
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < entries.size(); i++) {
            PutRecordsResultEntry result = i < results.size() ? results.get(i) : null;
            if (result == null || result.errorCode() != null || result.sequenceNumber() == null) {
                outcome.retry.add(entries.get(i));
            } else {
                outcome.delivered++;
            }
        }
        return outcome;
    }
}
