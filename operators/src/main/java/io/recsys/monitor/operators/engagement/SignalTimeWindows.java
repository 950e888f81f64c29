package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementSignal;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling event-time windows that place a signal by its own event time rather than by the record
 * timestamp. Attribution emits feedback that waited for its prediction under the prediction's
 * timestamp; the click still belongs to the window in which it happened.
 */
public class SignalTimeWindows extends WindowAssigner<EngagementSignal, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final TumblingEventTimeWindows tumbling;

    private SignalTimeWindows(Duration size) {
        this.tumbling = TumblingEventTimeWindows.of(size);
    }

    public static SignalTimeWindows of(Duration size) {
        return new SignalTimeWindows(size);
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            EngagementSignal element, long timestamp, WindowAssignerContext context) {
        return tumbling.assignWindows(element, element.eventTime, context);
    }

    @Override
    public Trigger<EngagementSignal, TimeWindow> getDefaultTrigger() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Trigger<EngagementSignal, TimeWindow> trigger = (Trigger) tumbling.getDefaultTrigger();
        return trigger;
    }

    /** Required by Flink 1.x's abstract signature; delegates to {@link #getDefaultTrigger()}. */
    @Override
    @SuppressWarnings("deprecation")
    public Trigger<EngagementSignal, TimeWindow> getDefaultTrigger(
            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        return getDefaultTrigger();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return tumbling.getWindowSerializer(executionConfig);
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "SignalTimeWindows(" + tumbling + ")";
    }
}
