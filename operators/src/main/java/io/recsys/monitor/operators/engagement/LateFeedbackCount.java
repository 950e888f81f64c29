package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import java.util.Collections;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the engagement signals that came later than the funnel windows' allowed lateness (the
 * attribution window), which the windows can no longer correct. Feedback is counted in the {@code
 * lateFeedback} Flink counter, a job accumulator for the replay summary, and the overall {@code
 * LateFeedback} metric of the window in which it arrived (by the watermark at its arrival, since
 * its own window is gone); a late served response only in the {@code lateResponses} counter. A
 * window without late feedback has no LateFeedback point.
 *
 * <p>Keyed by one constant key: late signals are rare, and one key gives one point per window.
 * State is one counter per open window.
 */
public class LateFeedbackCount extends KeyedProcessFunction<String, EngagementSignal, MetricPoint> {
    private static final long serialVersionUID = 1L;

    /** The one key of this function's input. */
    public static final String KEY = "late";

    private final String namespace;
    private final long periodMillis;
    private final String accumulatorName;

    private transient MapState<Long, Long> countByWindowEnd;
    private transient Counter lateFeedback;
    private transient Counter lateResponses;
    private transient LongCounter lateTotal;

    public LateFeedbackCount(String namespace, long periodMillis, String accumulatorName) {
        this.namespace = namespace;
        this.periodMillis = periodMillis;
        this.accumulatorName = accumulatorName;
    }

    @Override
    public void open(Configuration parameters) {
        countByWindowEnd =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "late-feedback-by-window", Types.LONG, Types.LONG));
        var group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        lateFeedback = group.counter("lateFeedback");
        lateResponses = group.counter("lateResponses");
        lateTotal = new LongCounter();
        getRuntimeContext().addAccumulator(accumulatorName, lateTotal);
    }

    @Override
    public void processElement(EngagementSignal signal, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        if (signal.kind == EngagementSignal.Kind.SERVED) {
            lateResponses.inc();
            return;
        }
        lateFeedback.inc();
        lateTotal.add(1);
        long now = Math.max(ctx.timerService().currentWatermark(), signal.eventTime);
        if (now > Long.MAX_VALUE - 2 * periodMillis) {
            return;
        }
        long windowEnd = Math.floorDiv(now, periodMillis) * periodMillis + periodMillis;
        Long count = countByWindowEnd.get(windowEnd);
        if (count == null) {
            ctx.timerService().registerEventTimeTimer(windowEnd - 1);
            count = 0L;
        }
        countByWindowEnd.put(windowEnd, count + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricPoint> out)
            throws Exception {
        long windowEnd = timestamp + 1;
        Long count = countByWindowEnd.get(windowEnd);
        if (count == null) {
            return;
        }
        countByWindowEnd.remove(windowEnd);
        out.collect(
                new MetricPoint(
                        namespace,
                        MetricNames.LATE_FEEDBACK,
                        Collections.emptyMap(),
                        count,
                        "Count",
                        windowEnd - periodMillis,
                        windowEnd));
    }
}
