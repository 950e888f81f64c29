package io.recsys.monitor.operators.preaggregation;

import java.io.Serializable;

/** Where an event falls in event time, for the window that aggregates it. */
@FunctionalInterface
public interface WindowTime<T> extends Serializable {
    /** Stands for "no event time": the record had no timestamp. */
    long NONE = Long.MIN_VALUE;

    /**
     * The event's time, given its record timestamp ({@link #NONE} when it has none); {@link #NONE}
     * when it has no time.
     */
    long of(T event, long recordTimestamp);

    /** The record timestamp, as {@code TumblingEventTimeWindows} places an event. */
    static <T> WindowTime<T> recordTimestamp() {
        return (event, recordTimestamp) -> recordTimestamp;
    }
}
