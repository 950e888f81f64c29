package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SlicePartial;
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
 * attribution window), which the windows can no longer correct. They arrive as the funnel's partial
 * counts (a late signal passes the pre-aggregation alone, so mostly a count of one). Feedback is
 * counted in the {@code lateFeedback} Flink counter, a job accumulator for the replay summary, and
 * the overall {@code LateFeedback} metric of the window in which it arrived (by the watermark at
 * its arrival, since its own window is gone); late served responses only in the {@code
 * lateResponses} counter. A window without late feedback has no LateFeedback point.
 *
 * <p>Keyed by one constant key: late signals are rare, and one key gives one point per window.
 * State is one counter per open window.
 */
public class LateFeedbackCount
        extends KeyedProcessFunction<String, SlicePartial<EngagementCounts>, MetricPoint> {
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
    public void processElement(
            SlicePartial<EngagementCounts> partial, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        EngagementCounts counts = partial.aggregate;
        lateResponses.inc(counts.responses);
        long feedback =
                counts.impressions
                        + counts.clicks
                        + counts.addToCarts
                        + counts.purchases
                        + counts.unattributed
                        + counts.rankedResponses;
        if (feedback == 0) {
            return;
        }
        lateFeedback.inc(feedback);
        lateTotal.add(feedback);
        long now = Math.max(ctx.timerService().currentWatermark(), partial.windowStart);
        if (now > Long.MAX_VALUE - 2 * periodMillis) {
            return;
        }
        long windowEnd = Math.floorDiv(now, periodMillis) * periodMillis + periodMillis;
        Long count = countByWindowEnd.get(windowEnd);
        if (count == null) {
            ctx.timerService().registerEventTimeTimer(windowEnd - 1);
            count = 0L;
        }
        countByWindowEnd.put(windowEnd, count + feedback);
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
