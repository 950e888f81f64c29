package io.recsys.monitor.operators.sliced;

import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The trigger of the per-slice window: {@link EventTimeTrigger}'s firings (at the window's end, and
 * for each late element within the allowed lateness), and, when the window fires at its end, an
 * event-time timer at its end plus the allowed lateness, when Flink's window operator clears the
 * window's state.
 *
 * <p>The operator registers that cleanup timer itself only when an element arrives. A window
 * restored from a savepoint of a release that kept windows for no lateness has only the timer at
 * its end, where the operator's cleanup time used to be; after an upgrade that added lateness, such
 * a window fires but, if nothing more arrives for it, its state would stay forever. For a window of
 * this release the timer is the one the operator registered already (timers of one key, window and
 * time are one timer), so nothing else changes: the timer fires no extra output, as only the end of
 * the window fires.
 */
public class WindowEndTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long allowedLatenessMillis;

    /** For a window operator whose allowed lateness is {@code allowedLatenessMillis}. */
    public WindowEndTrigger(long allowedLatenessMillis) {
        if (allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative");
        }
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public TriggerResult onElement(
            Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            // Late, within the allowed lateness (later elements never reach the trigger).
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        if (time != window.maxTimestamp()) {
            return TriggerResult.CONTINUE;
        }
        ctx.registerEventTimeTimer(cleanupTime(window));
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ctx.deleteEventTimeTimer(cleanupTime(window));
    }

    /** The window operator's cleanup time: the end plus the lateness, capped against overflow. */
    long cleanupTime(TimeWindow window) {
        long cleanupTime = window.maxTimestamp() + allowedLatenessMillis;
        return cleanupTime >= window.maxTimestamp() ? cleanupTime : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "WindowEndTrigger(allowedLateness=" + allowedLatenessMillis + "ms)";
    }
}
