package io.recsys.monitor.job.generator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Puts synthetic traffic into a Kinesis stream the way a producer would: PutRecords batches
 * (Kinesis takes at most 500 records and 5 MiB per call), partitioned by request so that a
 * prediction and its feedback stay in order on one shard, paced to a rate of events per second, and
 * with the records a call could not take (throttled shards) sent again until they land.
 */
public final class KinesisPublisher {
    static final int MAX_RECORDS_PER_CALL = 500;
    static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 20;

    private final KinesisClient kinesis;
    private final String stream;
    private final double eventsPerSecond;

    public KinesisPublisher(KinesisClient kinesis, String stream, double eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("events per second must be positive");
        }
        this.kinesis = kinesis;
        this.stream = stream;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Publishes {@code events} events (0: until interrupted) and returns how many landed. */
    public long publish(TrafficSimulator simulator, long events) throws InterruptedException {
        long started = System.nanoTime();
        long published = 0;
        List<PutRecordsRequestEntry> batch = new ArrayList<>(MAX_RECORDS_PER_CALL);
        int batchBytes = 0;
        while (events == 0 || published + batch.size() < events) {
            GeneratedEvent e = simulator.next();
            byte[] data = e.json.getBytes(StandardCharsets.UTF_8);
            String key = e.partitionKey();
            int size = data.length + key.length();
            if (batch.size() == MAX_RECORDS_PER_CALL || batchBytes + size > MAX_BYTES_PER_CALL) {
                published += send(batch);
                batch.clear();
                batchBytes = 0;
                pace(started, published);
            }
            batch.add(
                    PutRecordsRequestEntry.builder()
                            .partitionKey(key)
                            .data(SdkBytes.fromByteArray(data))
                            .build());
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            published += send(batch);
        }
        return published;
    }

    /** Sends one batch, retrying the entries Kinesis refused, and returns the batch size. */
    private int send(List<PutRecordsRequestEntry> batch) throws InterruptedException {
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException(
                        pending.size()
                                + " records refused by stream "
                                + stream
                                + " "
                                + MAX_ATTEMPTS
                                + " times");
            }
            PutRecordsResponse response =
                    kinesis.putRecords(
                            PutRecordsRequest.builder()
                                    .streamName(stream)
                                    .records(pending)
                                    .build());
            if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
                break;
            }
            List<PutRecordsRequestEntry> refused = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    refused.add(pending.get(i));
                }
            }
            pending = refused;
            TimeUnit.MILLISECONDS.sleep(Math.min(2000, 50L << Math.min(attempt, 6)));
        }
        return batch.size();
    }

    private void pace(long startedNanos, long published) throws InterruptedException {
        long due = startedNanos + (long) (published / eventsPerSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
