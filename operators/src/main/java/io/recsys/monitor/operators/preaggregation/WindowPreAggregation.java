package io.recsys.monitor.operators.preaggregation;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
 * Aggregates a stream per slice and tumbling window in the subtask that produces it, before the
 * shuffle to the window that completes the aggregate: a few partials per window, slice and subtask
 * cross the network instead of every event, and a keyed window on RocksDB (the state backend of
 * Managed Service for Apache Flink) no longer reads and writes its whole accumulator, a sketch of
 * kilobytes, for every event. Subclasses say what record carries a partial ({@link #partial}).
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
 * @param <P> the record that carries a partial
 */
public abstract class WindowPreAggregation<T, A, P> extends AbstractStreamOperator<P>
        implements OneInputStreamOperator<T, P> {
    private static final long serialVersionUID = 1L;

    private final AggregateFunction<T, A, ?> function;
    private final KeySelector<T, String> slice;
    private final WindowTime<T> windowTime;
    private final long periodMillis;
    private final long allowedLatenessMillis;
    private final ListStateDescriptor<P> pendingState;

    private int maxWindows = Integer.MAX_VALUE;

    private transient PendingWindows<A> pending;

    /** This subtask's watermark: the windows up to it have been emitted. */
    private transient long watermark;

    /** Whether this subtask's input is idle (downstream then goes on without it). */
    private transient boolean idle;

    private transient ListState<P> checkpointed;

    /**
     * @param function adds events to an accumulator and merges accumulators
     * @param slice the slice of an event, the key of the window downstream
     * @param windowTime the event time that places an event in its window
     * @param periodMillis the size of the tumbling windows (offset 0, as downstream)
     * @param allowedLatenessMillis the allowed lateness of the window downstream
     * @param pendingState the operator state of the partials pending at a checkpoint
     */
    protected WindowPreAggregation(
            AggregateFunction<T, A, ?> function,
            KeySelector<T, String> slice,
            WindowTime<T> windowTime,
            long periodMillis,
            long allowedLatenessMillis,
            ListStateDescriptor<P> pendingState) {
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
        this.pendingState = pendingState;
        // Custom operators start chains by default; this one belongs in its input's chain.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /**
     * Holds accumulators for at most {@code windows} windows: in a fast replay events run hours of
     * event time ahead of the watermark, and each window held may be a sketch of kilobytes per
     * slice.
     */
    public void holdAtMostWindows(int windows) {
        if (windows < 1) {
            throw new IllegalArgumentException("windows held must be positive, got " + windows);
        }
        this.maxWindows = windows;
    }

    /** The record that carries what this subtask aggregated for a slice and window. */
    protected abstract P partial(String slice, long windowStart, A aggregate);

    /** The slice of a checkpointed partial. */
    protected abstract String sliceOf(P partial);

    /** The window start of a checkpointed partial. */
    protected abstract long windowStartOf(P partial);

    /** The aggregate of a checkpointed partial. */
    protected abstract A aggregateOf(P partial);

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new PendingWindows<>(periodMillis);
        watermark = Long.MIN_VALUE;
        idle = false;
        checkpointed = context.getOperatorStateStore().getListState(pendingState);
        for (P partial : checkpointed.get()) {
            long start = windowStartOf(partial);
            String key = sliceOf(partial);
            A held = pending.get(start, key);
            // Into an accumulator of this run, never the restored one itself: what the restored
            // one was read with (a serializer of an earlier release) may lack this run's
            // configuration, such as the cap of service health's error types.
            A into = held == null ? function.createAccumulator() : held;
            pending.put(start, key, function.merge(into, aggregateOf(partial)));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.clear();
        pending.forEach(
                (start, slice, accumulator) ->
                        checkpointed.add(partial(slice, start, accumulator)));
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
        if (idle
                || isBeyondLateness(last)
                || (pending.windowCount() >= maxWindows && !pending.holds(start))) {
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
                        partial(slice, windowStart, accumulator),
                        pending.lastMillisecond(windowStart)));
    }

    private P single(String key, long windowStart, T event) {
        return partial(key, windowStart, function.add(event, function.createAccumulator()));
    }
}
