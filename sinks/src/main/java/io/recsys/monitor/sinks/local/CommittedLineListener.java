package io.recsys.monitor.sinks.local;

import java.io.Serializable;

/**
 * Told of each line a {@link JsonLinesFileSink} commits to its file, once, after the commit is
 * recorded: the hook for a side effect that must not repeat after a restore (an alert printed on
 * the console). A line of a commit interrupted by a crash may be missed, never told twice.
 */
@FunctionalInterface
public interface CommittedLineListener extends Serializable {

    /** Listens to nothing. */
    CommittedLineListener NONE = line -> {};

    /** Called with a committed line, without its line terminator, in file order. */
    void committed(String line);
}
