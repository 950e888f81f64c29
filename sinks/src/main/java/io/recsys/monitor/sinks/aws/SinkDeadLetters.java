package io.recsys.monitor.sinks.aws;

import io.recsys.monitor.model.DeadLetter;
import java.io.Serializable;

/**
 * Where a sink puts a record that the service rejected for good (invalid data, a message too
 * large), so that it is never silently dropped. A sink cannot emit into the job's dead-letter
 * stream, so it hands the record to this; the default logs it as a structured line.
 */
@FunctionalInterface
public interface SinkDeadLetters extends Serializable {
    void accept(DeadLetter deadLetter);
}
