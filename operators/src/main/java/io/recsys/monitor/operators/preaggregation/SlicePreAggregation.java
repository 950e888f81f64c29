package io.recsys.monitor.operators.preaggregation;

import io.recsys.monitor.model.SlicePartial;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Aggregates a stream per traffic slice and tumbling window in the subtask that produces it, before
 * the shuffle to the keyed window that completes the aggregate with {@link PartialMerge}. A keyed
 * window on RocksDB (the state backend of Managed Service for Apache Flink) reads and writes its
 * whole accumulator for every event, a latency sketch or an item sketch of kilobytes; after this
 * operator it does so once per window, slice and subtask, and the events no longer cross the
 * network.
 *
 * <p>Lateness is decided downstream as it was for single events. A window's partials are emitted,
 * stamped with the window's last millisecond, when this subtask's watermark reaches that
 * millisecond and before the watermark itself, so they are never behind a watermark that closes
 * their window. An event whose window has passed this subtask's watermark but not its allowed
 * lateness is held until the next watermark, before which it is emitted: downstream, whose
 * watermark is at most this one, it is within the lateness as it was on arrival (so a late
 * correction waits for the watermark to move, which on a quiet stream can take a while). An event
 * beyond the lateness here passes on at once as a partial of its own, for the downstream watermark
 * to judge. When the input goes idle, downstream stops waiting for this subtask's watermark: every
 * pending partial is emitted before the idle status, and until the input is active again events
 * pass on alone. Once active, this subtask's watermark may trail downstream's until it catches up;
 * an event held in that interval is judged when it is emitted rather than on arrival. Pending
 * partials are operator state: a restore neither loses nor repeats them.
 *
 * @param <T> the events
 * @param <A> the accumulator of {@code function}
 */
public class SlicePreAggregation<T, A> extends AbstractStreamOperator<SlicePartial<A>>
        implements OneInputStreamOperator<T, SlicePartial<A>> {
    private static final long serialVersionUID = 1L;

    private final AggregateFunction<T, A, ?> function;
    private final KeySelector<T, String> slice;
    private final WindowTime<T> windowTime;
    private final long periodMillis;
    private final long allowedLatenessMillis;
    private final TypeInformation<SlicePartial<A>> partialType;

    private transient PendingWindows<A> pending;

    /** This subtask's watermark: the windows up to it have been emitted. */
    private transient long watermark;

    /** Whether this subtask's input is idle (downstream then goes on without it). */
    private transient boolean idle;

    private transient ListState<SlicePartial<A>> checkpointed;

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
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + periodMillis);
        }
        if (allowedLatenessMillis < 0) {
            throw new IllegalArgumentException(
                    "allowed lateness must not be negative, got " + allowedLatenessMillis);
        }
        this.function = function;
        this.slice = slice;
        this.windowTime = windowTime;
        this.periodMillis = periodMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.partialType = SlicePartial.typeInfo(accumulatorType);
        // Custom operators start chains by default; this one belongs in its input's chain.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /** The type of this operator's output. */
    public TypeInformation<SlicePartial<A>> partialType() {
        return partialType;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new PendingWindows<>(periodMillis);
        watermark = Long.MIN_VALUE;
        idle = false;
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("pending-partials", partialType));
        for (SlicePartial<A> partial : checkpointed.get()) {
            A held = pending.get(partial.windowStart, partial.slice);
            pending.put(
                    partial.windowStart,
                    partial.slice,
                    held == null ? partial.aggregate : function.merge(held, partial.aggregate));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.clear();
        pending.forEach(
                (start, slice, accumulator) ->
                        checkpointed.add(new SlicePartial<>(slice, start, accumulator)));
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        T event = element.getValue();
        long time =
                windowTime.of(
                        event, element.hasTimestamp() ? element.getTimestamp() : WindowTime.NONE);
        String key = slice.getKey(event);
        if (time == WindowTime.NONE) {
            // Downstream rejects it as the keyed window rejected the event itself.
            output.collect(new StreamRecord<>(single(key, 0, event)));
            return;
        }
        long start = pending.windowStart(time);
        long last = pending.lastMillisecond(start);
        if (idle || isBeyondLateness(last)) {
            output.collect(new StreamRecord<>(single(key, start, event), last));
            return;
        }
        A held = pending.get(start, key);
        A added = function.add(event, held == null ? function.createAccumulator() : held);
        if (added != held) {
            pending.put(start, key, added);
        }
    }

    private boolean isBeyondLateness(long windowLast) {
        return watermark != Long.MIN_VALUE
                && windowLast <= Long.MAX_VALUE - allowedLatenessMillis
                && windowLast + allowedLatenessMillis <= watermark;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        pending.drainUpTo(mark.getTimestamp(), this::emit);
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            // Downstream goes on without this input from now: what it holds must go first, while
            // downstream still waits for this input's watermark.
            pending.drainAll(this::emit);
        }
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    private void emit(long windowStart, String slice, A accumulator) {
        output.collect(
                new StreamRecord<>(
                        new SlicePartial<>(slice, windowStart, accumulator),
                        pending.lastMillisecond(windowStart)));
    }

    private SlicePartial<A> single(String key, long windowStart, T event) {
        return new SlicePartial<>(
                key, windowStart, function.add(event, function.createAccumulator()));
    }
}
