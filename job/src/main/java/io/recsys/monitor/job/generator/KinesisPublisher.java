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
    private final String feedbackStream;
    private final double eventsPerSecond;

    /**
     * @param feedbackStream the stream of feedback events; the same as {@code stream} when one
     *     stream carries both
     */
    public KinesisPublisher(
            KinesisClient kinesis, String stream, String feedbackStream, double eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("events per second must be positive");
        }
        this.kinesis = kinesis;
        this.stream = stream;
        this.feedbackStream = feedbackStream;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Publishes {@code events} events (0: until interrupted) and returns how many landed. */
    public long publish(TrafficSimulator simulator, long events) throws InterruptedException {
        long started = System.nanoTime();
        long published = 0;
        Batch predictions = new Batch(stream);
        Batch feedback = feedbackStream.equals(stream) ? predictions : new Batch(feedbackStream);
        for (long produced = 0; events == 0 || produced < events; produced++) {
            GeneratedEvent e = simulator.next();
            Batch batch = e.feedback ? feedback : predictions;
            byte[] data = e.json.getBytes(StandardCharsets.UTF_8);
            String key = e.partitionKey();
            int size = data.length + key.length();
            if (batch.entries.size() == MAX_RECORDS_PER_CALL
                    || batch.bytes + size > MAX_BYTES_PER_CALL) {
                published += send(batch);
                pace(started, published);
            }
            batch.entries.add(
                    PutRecordsRequestEntry.builder()
                            .partitionKey(key)
                            .data(SdkBytes.fromByteArray(data))
                            .build());
            batch.bytes += size;
        }
        published += send(predictions);
        if (feedback != predictions) {
            published += send(feedback);
        }
        return published;
    }

    /** The records waiting for one stream's next PutRecords call. */
    private static final class Batch {
        final String stream;
        final List<PutRecordsRequestEntry> entries = new ArrayList<>(MAX_RECORDS_PER_CALL);
        int bytes;

        Batch(String stream) {
            this.stream = stream;
        }
    }

    /** Sends and empties one batch, retrying the entries Kinesis refused; returns its size. */
    private int send(Batch batch) throws InterruptedException {
        int size = send(batch.stream, batch.entries);
        batch.entries.clear();
        batch.bytes = 0;
        return size;
    }

    private int send(String stream, List<PutRecordsRequestEntry> batch)
            throws InterruptedException {
        if (batch.isEmpty()) {
            return 0;
        }
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
