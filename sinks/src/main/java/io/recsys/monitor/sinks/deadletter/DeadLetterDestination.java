package io.recsys.monitor.sinks.deadletter;

/**
 * The AWS services a dead letter can be kept in, with the limits of their batch write calls: the
 * sink's batching and the cutting of an oversize raw line are checked against these.
 */
public enum DeadLetterDestination {
    /** An SQS queue, written with {@code SendMessageBatch}. */
    SQS("sqs", 10, 262_144L, 262_144L),
    /** A Kinesis data stream, written with {@code PutRecords}. */
    KINESIS("kinesis", 500, 5L * 1024 * 1024, 1024L * 1024);

    private final String configName;
    private final int maxEntriesPerRequest;
    private final long maxRequestBytes;
    private final long maxEntryBytes;

    DeadLetterDestination(
            String configName, int maxEntriesPerRequest, long maxRequestBytes, long maxEntryBytes) {
        this.configName = configName;
        this.maxEntriesPerRequest = maxEntriesPerRequest;
        this.maxRequestBytes = maxRequestBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    /** The destination of a {@code dead-letter.destination} value, or null for {@code log}. */
    public static DeadLetterDestination ofConfig(String value) {
        for (DeadLetterDestination d : values()) {
            if (d.configName.equals(value)) {
                return d;
            }
        }
        return null;
    }

    /** The {@code dead-letter.destination} value that chooses this destination. */
    public String configName() {
        return configName;
    }

    /** SQS: 10 messages per request; Kinesis: 500 records per request. */
    public int maxEntriesPerRequest() {
        return maxEntriesPerRequest;
    }

    /** SQS: 256 KiB for all messages of a request; Kinesis: 5 MiB for all records. */
    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * SQS: 256 KiB for one message, body and attributes; Kinesis: 1 MiB for one record, data and
     * partition key.
     */
    public long maxEntryBytes() {
        return maxEntryBytes;
    }
}
