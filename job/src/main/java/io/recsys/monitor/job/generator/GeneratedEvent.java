package io.recsys.monitor.job.generator;

/**
 * One line of synthetic traffic: the raw JSON text a producer would send, with its event time kept
 * apart so that writers and tests need not parse the line, and whether it was corrupted on purpose
 * (ground truth for dead-letter tests).
 */
public final class GeneratedEvent {
    /** Event time, epoch ms; for a malformed line, the time of the event it was made from. */
    public final long eventTime;

    /** One JSON object without a line break; deliberately invalid when {@link #malformed}. */
    public final String json;

    /** True when the line was corrupted on purpose and must end as a dead letter. */
    public final boolean malformed;

    /** Sequence number of the request the event belongs to (its request_id is "req-" + this). */
    public final long requestSeq;

    /** True for a feedback event, false for a prediction (also when malformed). */
    public final boolean feedback;

    public GeneratedEvent(
            long eventTime, String json, boolean malformed, long requestSeq, boolean feedback) {
        this.eventTime = eventTime;
        this.json = json;
        this.malformed = malformed;
        this.requestSeq = requestSeq;
        this.feedback = feedback;
    }

    /**
     * The Kinesis partition key: the request, so that a prediction and its feedback land on one
     * shard in order, even when the line itself is malformed.
     */
    public String partitionKey() {
        return "req-" + requestSeq;
    }

    @Override
    public String toString() {
        return (malformed ? "malformed@" : "@") + eventTime + " " + json;
    }
}
