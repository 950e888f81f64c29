package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.StreamEventTime;
import java.util.Collections;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Freshness per stream (keyed by stream name): remembers the newest event time seen and, on a
 * processing-time timer every {@code interval}, emits {@code EventLagSeconds} = processing time
 * minus that event time. The timer keeps firing when the stream goes silent, so the lag grows and
 * an alarm fires without waiting for the next event (the operations guide's check_freshness: 6 h
 * warning, 24 h critical). A stream that has sent nothing since the job started has no key yet and
 * no point. State per stream: two longs and one timer.
 */
public class StreamFreshness extends KeyedProcessFunction<String, StreamEventTime, MetricPoint> {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final long intervalMillis;

    private transient ValueState<Long> newestEventTime;
    private transient ValueState<Long> nextTimer;

    public StreamFreshness(String namespace, long intervalMillis) {
        this.namespace = namespace;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        newestEventTime =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("newest-event-time", Types.LONG));
        nextTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("next-freshness-timer", Types.LONG));
    }

    @Override
    public void processElement(StreamEventTime event, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        Long newest = newestEventTime.value();
        if (newest == null || event.eventTime > newest) {
            newestEventTime.update(event.eventTime);
        }
        if (nextTimer.value() == null) {
            schedule(ctx.timerService().currentProcessingTime(), ctx.timerService());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricPoint> out)
            throws Exception {
        Long newest = newestEventTime.value();
        if (newest != null) {
            out.collect(
                    new MetricPoint(
                            namespace,
                            MetricNames.EVENT_LAG,
                            Collections.singletonMap(MetricNames.STREAM, ctx.getCurrentKey()),
                            (timestamp - newest) / 1000.0,
                            "Seconds",
                            timestamp - intervalMillis,
                            timestamp));
        }
        schedule(timestamp, ctx.timerService());
    }

    /** Registers the next timer on the interval grid after {@code now}, so points align. */
    private void schedule(long now, org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        long next = (Math.floorDiv(now, intervalMillis) + 1) * intervalMillis;
        timers.registerProcessingTimeTimer(next);
        nextTimer.update(next);
    }
}
