package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceAccumulator;
import java.io.Serializable;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * A sliced metric's accumulator as Flink's aggregate function, for the pre-aggregation before the
 * shuffle and the keyed window after it: the result is the accumulator itself.
 */
public class AccumulatorAggregate<E, A extends SliceAccumulator<E, A>>
        implements AggregateFunction<E, A, A> {
    private static final long serialVersionUID = 1L;

    /**
     * How one event counts into an accumulator, for a metric whose events are scored against
     * something of the run that the accumulator does not keep (recommendation quality's exposure
     * reference): the function holds it, so that no state or serializer snapshot does.
     */
    public interface Count<E, A> extends Serializable {
        void add(E event, A accumulator);
    }

    private final SerializableSupplier<A> create;
    private final Count<E, A> count;

    /** Counts an event with the accumulator's own {@link SliceAccumulator#add}. */
    public AccumulatorAggregate(SerializableSupplier<A> create) {
        this(create, (event, accumulator) -> accumulator.add(event));
    }

    public AccumulatorAggregate(SerializableSupplier<A> create, Count<E, A> count) {
        this.create = create;
        this.count = count;
    }

    @Override
    public A createAccumulator() {
        return create.get();
    }

    @Override
    public A add(E event, A accumulator) {
        count.add(event, accumulator);
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
