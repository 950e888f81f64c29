package io.recsys.monitor.model;

/**
 * What a sliced metric counts in one window and slice: events are added one by one, and the
 * accumulators of the same window from several subtasks or finer slices merge into the one of their
 * union. Whatever bounds the accumulator's size (the number of error types or features kept apart)
 * is a field of the accumulator, set when it is created, so that merging needs no arguments and two
 * operators cannot merge the same counts under different caps.
 *
 * @param <E> the events added
 * @param <A> the accumulator itself
 */
public interface SliceAccumulator<E, A extends SliceAccumulator<E, A>> {
    /** Counts one event. */
    void add(E event);

    /** Adds {@code other} into this, which it returns; {@code other} is left unchanged. */
    A merge(A other);

    /** An independent copy: merging into either leaves the other unchanged. */
    A copy();
}
