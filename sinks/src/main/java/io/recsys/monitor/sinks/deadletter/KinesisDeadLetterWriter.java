package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.model.DeadLetter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Puts dead letters into one Kinesis stream with {@code PutRecords}. The response lists one result
 * per record in request order; a record with an error code (throughput exceeded, internal failure)
 * is sent again.
 */
class KinesisDeadLetterWriter extends DeadLetterSinkWriter {
    private final KinesisAsyncClient client;
    private final String streamName;

    KinesisDeadLetterWriter(
            ElementConverter<DeadLetter, DeadLetterEntry> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<DeadLetterEntry>> restored,
            DeadLetterClients clients,
            String streamName,
            int maxAttempts,
            long initialBackoffMs,
            long maxBackoffMs) {
        super(
                converter,
                context,
                configuration,
                restored,
                DeadLetterDestination.KINESIS,
                streamName,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs);
        this.streamName = streamName;
        this.client = clients.kinesis();
    }

    @Override
    CompletableFuture<Outcome> send(List<DeadLetterEntry> entries) {
        return client.putRecords(request(streamName, entries))
                .thenApply(response -> outcome(entries, response));
    }

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

    @Override
    void closeClient() {
        client.close();
    }
}
