package io.recsys.monitor.operators.preaggregation;

import io.recsys.monitor.model.SlicePartial;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Completes, in the keyed window, the aggregate that {@link SlicePreAggregation} began before the
 * shuffle: each partial is merged into the window's accumulator with the same function's {@code
 * merge}. The accumulator, and so the window's state, is the one of {@code function}, as if the
 * events themselves had been added.
 */
public class PartialMerge<A, R> implements AggregateFunction<SlicePartial<A>, A, R> {
    private static final long serialVersionUID = 1L;

    private final AggregateFunction<?, A, R> function;

    public PartialMerge(AggregateFunction<?, A, R> function) {
        this.function = function;
    }

    @Override
    public A createAccumulator() {
        return function.createAccumulator();
    }

    @Override
    public A add(SlicePartial<A> partial, A accumulator) {
        return function.merge(accumulator, partial.aggregate);
    }

    @Override
    public R getResult(A accumulator) {
        return function.getResult(accumulator);
    }

    @Override
    public A merge(A a, A b) {
        return function.merge(a, b);
    }
}
