package io.recsys.monitor.operators.preaggregation;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulators held per tumbling window and slice until the watermark passes their window: the
 * bookkeeping of the operators that aggregate before a shuffle ({@link SlicePreAggregation}, and
 * data quality's {@code QualityPreCount}). Plain Java; windows are aligned to the epoch, as Flink's
 * tumbling windows with no offset.
 *
 * @param <A> the accumulator
 */
public final class PendingWindows<A> {
    /** Receives a window's accumulators as they are handed over. */
    @FunctionalInterface
    public interface Sink<A> {
        void accept(long windowStart, String slice, A accumulator) throws Exception;
    }

    private final long periodMillis;

    /** Accumulators by window start, then slice. */
    private final TreeMap<Long, HashMap<String, A>> windows = new TreeMap<>();

    // The window last looked up: consecutive events nearly always share it, and finding it again
    // would box the start and walk the tree per event.
    private long lastStart;
    private HashMap<String, A> lastWindow;

    public PendingWindows(long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + periodMillis);
        }
        this.periodMillis = periodMillis;
    }

    /** The start of the window of {@code time}. */
    public long windowStart(long time) {
        return time - Math.floorMod(time, periodMillis);
    }

    /** The last millisecond of the window that starts at {@code windowStart}. */
    public long lastMillisecond(long windowStart) {
        return windowStart + periodMillis - 1;
    }

    /** The accumulator held for a window and slice; {@code null} when there is none. */
    public A get(long windowStart, String slice) {
        HashMap<String, A> window = lastWindow;
        if (window == null || windowStart != lastStart) {
            window = windows.get(windowStart);
            if (window == null) {
                return null;
            }
            lastWindow = window;
            lastStart = windowStart;
        }
        return window.get(slice);
    }

    /** Holds {@code accumulator} for a window and slice, in place of any earlier one. */
    public void put(long windowStart, String slice, A accumulator) {
        HashMap<String, A> window = lastWindow;
        if (window == null || windowStart != lastStart) {
            window = windows.computeIfAbsent(windowStart, w -> new HashMap<>());
            lastWindow = window;
            lastStart = windowStart;
        }
        window.put(slice, accumulator);
    }

    /** Whether an accumulator is held for a window (of any slice). */
    public boolean holds(long windowStart) {
        return (lastWindow != null && windowStart == lastStart) || windows.containsKey(windowStart);
    }

    /** Windows with an accumulator held. */
    public int windowCount() {
        return windows.size();
    }

    /**
     * Hands over and forgets the accumulators of every window whose last millisecond is at most
     * {@code watermark}, oldest window first.
     */
    public void drainUpTo(long watermark, Sink<A> sink) throws Exception {
        Iterator<Map.Entry<Long, HashMap<String, A>>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, HashMap<String, A>> window = it.next();
            if (lastMillisecond(window.getKey()) > watermark) {
                break;
            }
            for (Map.Entry<String, A> e : window.getValue().entrySet()) {
                sink.accept(window.getKey(), e.getKey(), e.getValue());
            }
            it.remove();
            if (window.getValue() == lastWindow) {
                lastWindow = null;
            }
        }
    }

    /** Hands over and forgets every accumulator, oldest window first. */
    public void drainAll(Sink<A> sink) throws Exception {
        drainUpTo(Long.MAX_VALUE, sink);
    }

    /** Shows every accumulator held, oldest window first, and keeps them. */
    public void forEach(Sink<A> sink) throws Exception {
        for (Map.Entry<Long, HashMap<String, A>> window : windows.entrySet()) {
            for (Map.Entry<String, A> e : window.getValue().entrySet()) {
                sink.accept(window.getKey(), e.getKey(), e.getValue());
            }
        }
    }
}
