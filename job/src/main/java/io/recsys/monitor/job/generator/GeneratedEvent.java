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

    public GeneratedEvent(long eventTime, String json, boolean malformed) {
        this.eventTime = eventTime;
        this.json = json;
        this.malformed = malformed;
    }

    @Override
    public String toString() {
        return (malformed ? "malformed@" : "@") + eventTime + " " + json;
    }
}
