package io.recsys.monitor.model;

/**
 * The event time of one accepted event and the stream it came in ({@code predictions} or {@code
 * feedback}): all the freshness check needs, without carrying the event itself.
 */
public class StreamEventTime {
    public String stream;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public StreamEventTime() {}

    public StreamEventTime(String stream, long eventTime) {
        this.stream = stream;
        this.eventTime = eventTime;
    }

    @Override
    public String toString() {
        return stream + "@" + eventTime;
    }
}
