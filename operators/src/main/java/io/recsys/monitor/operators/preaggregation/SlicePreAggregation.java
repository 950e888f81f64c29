package io.recsys.monitor.operators.preaggregation;

import io.recsys.monitor.model.SlicePartial;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The pre-aggregation of a keyed window per traffic slice ({@link WindowPreAggregation}): its
 * partials are {@link SlicePartial}s, which the keyed window merges with {@link PartialMerge}.
 *
 * @param <T> the events
 * @param <A> the accumulator of the window's aggregate function
 */
public class SlicePreAggregation<T, A> extends WindowPreAggregation<T, A, SlicePartial<A>> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<SlicePartial<A>> partialType;

    /**
     * @param function adds events to an accumulator and merges accumulators
     * @param slice the {@code TrafficSlice} key of an event, the key of the window downstream
     * @param windowTime the event time that places an event in its window
     * @param periodMillis the size of the tumbling windows (offset 0, as downstream)
     * @param allowedLatenessMillis the allowed lateness of the window downstream
     * @param accumulatorType the type of {@code function}'s accumulator
     */
    public SlicePreAggregation(
            AggregateFunction<T, A, ?> function,
            KeySelector<T, String> slice,
            WindowTime<T> windowTime,
            long periodMillis,
            long allowedLatenessMillis,
            TypeInformation<A> accumulatorType) {
        super(
                function,
                slice,
                windowTime,
                periodMillis,
                allowedLatenessMillis,
                new ListStateDescriptor<>(
                        "pending-partials", SlicePartial.typeInfo(accumulatorType)));
        this.partialType = SlicePartial.typeInfo(accumulatorType);
    }

    /** The type of this operator's output. */
    public TypeInformation<SlicePartial<A>> partialType() {
        return partialType;
    }

    @Override
    protected SlicePartial<A> partial(String slice, long windowStart, A aggregate) {
        return new SlicePartial<>(slice, windowStart, aggregate);
    }

    @Override
    protected String sliceOf(SlicePartial<A> partial) {
        return partial.slice;
    }

    @Override
    protected long windowStartOf(SlicePartial<A> partial) {
        return partial.windowStart;
    }

    @Override
    protected A aggregateOf(SlicePartial<A> partial) {
        return partial.aggregate;
    }
}
