package io.recsys.monitor.operators.preaggregation;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A {@link WindowPreAggregation} whose aggregate depends on what a second, broadcast input says
 * (drift sketches the features that the reference profile in force names): the events come on the
 * first input, the broadcast values on the second ({@link #onBroadcast}). The watermark that emits
 * the partials is the smaller of the two inputs', so that no partial overtakes a broadcast value
 * that holds event time back. A subclass keeps what it was told in operator state.
 *
 * <p>The broadcast input is assumed never to go idle (a file of reference profiles): with both
 * inputs idle, Flink passes the idle status on without this operator seeing it.
 *
 * @param <T> the events
 * @param <B> the broadcast values
 * @param <A> the accumulator of {@code function}
 * @param <P> the record that carries a partial
 */
public abstract class BroadcastWindowPreAggregation<T, B, A, P>
        extends WindowPreAggregation<T, A, P> implements TwoInputStreamOperator<T, B, P> {
    private static final long serialVersionUID = 1L;

    /** As {@link WindowPreAggregation#WindowPreAggregation}. */
    protected BroadcastWindowPreAggregation(
            AggregateFunction<T, A, ?> function,
            KeySelector<T, String> slice,
            WindowTime<T> windowTime,
            long periodMillis,
            long allowedLatenessMillis,
            ListStateDescriptor<P> pendingState) {
        super(function, slice, windowTime, periodMillis, allowedLatenessMillis, pendingState);
    }

    /** Takes in a value of the broadcast input; events after it are aggregated with it known. */
    protected abstract void onBroadcast(B value) throws Exception;

    @Override
    public void processElement1(StreamRecord<T> element) throws Exception {
        processElement(element);
    }

    @Override
    public void processElement2(StreamRecord<B> element) throws Exception {
        onBroadcast(element.getValue());
    }
}
