package io.recsys.monitor.sinks.json;

import java.io.Serializable;

/**
 * Turns one record into one line of text without its line terminator. Sinks hold an encoder and are
 * shipped to the task managers with it, hence {@link Serializable}.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordEncoder<T> extends Serializable {

    /** The record as a single line; it must not contain a line break. */
    String encode(T record);
}
