package io.recsys.monitor.operators.preaggregation;

import io.recsys.monitor.model.SlicePartial;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
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
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Aggregates a stream per traffic slice and tumbling window in the subtask that produces it, before
 * the shuffle to the keyed window that completes the aggregate with {@link PartialMerge}. A keyed
 * window on RocksDB (the state backend of Managed Service for Apache Flink) reads and writes its
 * whole accumulator for every event, a latency sketch or an item sketch of kilobytes; after this
 * operator it does so once per window, slice and subtask, and the events no longer cross the
 * network.
 *
 * <p>Lateness is decided downstream exactly as it was for single events. A window's partials are
 * emitted, stamped with the window's last millisecond, when this subtask's watermark reaches that
 * millisecond and before the watermark itself, so they are never behind a watermark that closes
 * their window. An event whose window has passed this subtask's watermark but not its allowed
 * lateness is held until the next watermark, before which it is emitted: downstream, whose
 * watermark is at most this one, it is within the lateness as it was on arrival. An event beyond
 * the lateness here passes on at once as a partial of its own, for the downstream watermark to
 * judge. Pending partials are operator state: a restore neither loses nor repeats them.
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

    /** Pending accumulators by window start, then slice. */
    private transient TreeMap<Long, HashMap<String, A>> pending;

    /** This subtask's watermark: the windows up to it have been emitted. */
    private transient long watermark;

    // The window the last event went to: consecutive events nearly always share it.
    private transient long lastStart;
    private transient HashMap<String, A> lastWindow;

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
        pending = new TreeMap<>();
        watermark = Long.MIN_VALUE;
        checkpointed =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("pending-partials", partialType));
        for (SlicePartial<A> partial : checkpointed.get()) {
            HashMap<String, A> window =
                    pending.computeIfAbsent(partial.windowStart, w -> new HashMap<>());
            A held = window.get(partial.slice);
            window.put(
                    partial.slice,
                    held == null ? partial.aggregate : function.merge(held, partial.aggregate));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.clear();
        for (Map.Entry<Long, HashMap<String, A>> window : pending.entrySet()) {
            for (Map.Entry<String, A> e : window.getValue().entrySet()) {
                checkpointed.add(new SlicePartial<>(e.getKey(), window.getKey(), e.getValue()));
            }
        }
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
        long start = TimeWindow.getWindowStartWithOffset(time, 0, periodMillis);
        long last = start + periodMillis - 1;
        if (isBeyondLateness(last)) {
            output.collect(new StreamRecord<>(single(key, start, event), last));
            return;
        }
        HashMap<String, A> window = lastWindow;
        if (window == null || start != lastStart) {
            window = pending.computeIfAbsent(start, w -> new HashMap<>());
            lastWindow = window;
            lastStart = start;
        }
        A held = window.get(key);
        A added = function.add(event, held == null ? function.createAccumulator() : held);
        if (added != held) {
            window.put(key, added);
        }
    }

    private boolean isBeyondLateness(long windowLast) {
        return watermark != Long.MIN_VALUE
                && windowLast <= Long.MAX_VALUE - allowedLatenessMillis
                && windowLast + allowedLatenessMillis <= watermark;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        Iterator<Map.Entry<Long, HashMap<String, A>>> windows = pending.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Long, HashMap<String, A>> window = windows.next();
            long last = window.getKey() + periodMillis - 1;
            if (last > mark.getTimestamp()) {
                break;
            }
            for (Map.Entry<String, A> e : window.getValue().entrySet()) {
                output.collect(
                        new StreamRecord<>(
                                new SlicePartial<>(e.getKey(), window.getKey(), e.getValue()),
                                last));
            }
            windows.remove();
            if (window.getValue() == lastWindow) {
                lastWindow = null;
            }
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    private SlicePartial<A> single(String key, long windowStart, T event) {
        return new SlicePartial<>(
                key, windowStart, function.add(event, function.createAccumulator()));
    }
}
