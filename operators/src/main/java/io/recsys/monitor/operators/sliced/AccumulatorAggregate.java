package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * A sliced metric's accumulator as Flink's aggregate function, for the pre-aggregation before the
 * shuffle and the keyed window after it: the result is the accumulator itself.
 */
public class AccumulatorAggregate<E, A extends SliceAccumulator<E, A>>
        implements AggregateFunction<E, A, A> {
    private static final long serialVersionUID = 1L;

    private final SerializableSupplier<A> create;

    public AccumulatorAggregate(SerializableSupplier<A> create) {
        this.create = create;
    }

    @Override
    public A createAccumulator() {
        return create.get();
    }

    @Override
    public A add(E event, A accumulator) {
        accumulator.add(event);
        return accumulator;
    }

    @Override
    public A getResult(A accumulator) {
        return accumulator;
    }

    @Override
    public A merge(A a, A b) {
        return a.merge(b);
    }
}
