package io.recsys.monitor.operators.preaggregation;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SlicePartial;
import java.util.Collections;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts what came later than a keyed window's allowed lateness, which the window can no longer
 * correct: the partials of its late side output (a late event passes the pre-aggregation alone, so
 * mostly a count of one). What a partial counts is the subclass's ({@link #counted}). The count
 * goes to a Flink counter, a job accumulator, and an overall metric point of the window in which it
 * arrived (by the watermark at its arrival, since its own window is gone). A window with nothing
 * late has no point.
 *
 * <p>Keyed by one constant key ({@link #KEY}): late arrivals are rare, and one key gives one point
 * per window. State is one counter per open window.
 *
 * @param <A> the aggregate of the late partials
 */
public abstract class LateArrivalCount<A>
        extends KeyedProcessFunction<String, SlicePartial<A>, MetricPoint> {
    private static final long serialVersionUID = 1L;

    /** The one key of this function's input. */
    public static final String KEY = "late";

    private final String namespace;
    private final String metric;
    private final long periodMillis;
    private final String stateName;
    private final String counterName;
    private final String accumulatorName;

    private transient MapState<Long, Long> countByWindowEnd;
    private transient Counter counter;
    private transient LongCounter total;

    /**
     * @param metric the name of the metric points
     * @param periodMillis the window of the metric points
     * @param stateName the name of the per-window counts in keyed state
     * @param counterName the Flink counter, in the {@code kinesisanalytics} group
     * @param accumulatorName the job accumulator
     */
    protected LateArrivalCount(
            String namespace,
            String metric,
            long periodMillis,
            String stateName,
            String counterName,
            String accumulatorName) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.namespace = namespace;
        this.metric = metric;
        this.periodMillis = periodMillis;
        this.stateName = stateName;
        this.counterName = counterName;
        this.accumulatorName = accumulatorName;
    }

    /** What {@code aggregate} counts as late; 0 for nothing to report. */
    protected abstract long counted(A aggregate);

    @Override
    public void open(OpenContext openContext) {
        countByWindowEnd =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>(stateName, Types.LONG, Types.LONG));
        counter =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter(counterName);
        total = new LongCounter();
        getRuntimeContext().addAccumulator(accumulatorName, total);
    }

    @Override
    public void processElement(SlicePartial<A> partial, Context ctx, Collector<MetricPoint> out)
            throws Exception {
        long late = counted(partial.aggregate);
        if (late == 0) {
            return;
        }
        counter.inc(late);
        total.add(late);
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
        countByWindowEnd.put(windowEnd, count + late);
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
                        metric,
                        Collections.emptyMap(),
                        count,
                        "Count",
                        windowEnd - periodMillis,
                        windowEnd));
    }
}
