package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.ingest.DimensionCap;
import io.recsys.monitor.operators.ingest.FoldDimensions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first stage of the alarm engine: runs the metric alarms over metric points, keyed by series
 * (metric and dimensions). A point only adds to its period; evaluation happens in an event-time
 * timer at the end of each period, so that a period that passed without a datapoint is evaluated
 * too (missing data needs to be noticed, not waited for). After an evaluation the timer of the next
 * period is set, until the series has been silent for N periods and another evaluation would change
 * nothing; a returning point starts the timers again.
 *
 * <p>At the end of a bounded input (watermark at its maximum) the open periods are evaluated but no
 * empty periods are invented after them: the end of a replay is not a data outage.
 *
 * <p>On a live source a full outage stops the watermark, and with it every event-time timer: the
 * periods of a silent job would never be evaluated, and the volume and freshness alarms that exist
 * for exactly that case would never fire. With a wall-clock grace ({@code > 0}, for live sources
 * only), each period-end timer has a processing-time twin {@code grace} later. When it fires and
 * the watermark has not moved for the grace ({@link WatermarkStall}: stalled, not merely behind, as
 * in a catch-up), it evaluates the periods that the wall clock less the grace says have closed.
 * Points of a period evaluated that way that arrive later are ignored, as points of any evaluated
 * period are.
 *
 * <p>The state of every alarm of a series is Flink state (a map from alarm name to {@link
 * AlarmState}), so that after a restart from a checkpoint an alarm that is already raised does not
 * alert again. The output is every state change and repeat (see {@link AlarmEvaluator}); the {@link
 * IncidentFunction} stage decides which of them reach people. Series of the model versions or
 * segments folded into "other" are not watched ({@link #isFoldedSeries}).
 */
public class AlarmFunction extends KeyedProcessFunction<String, MetricPoint, Alert> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<AlarmDefinition> definitions;
    private final long repeatMillis;
    private final long wallClockGraceMillis;

    private transient MapState<String, AlarmState> states;
    private transient WatermarkStall stall;
    private transient Counter transitions;

    /**
     * @param wallClockGraceMillis how long after its end by the wall clock a period is evaluated
     *     even if the watermark has not reached it; 0 for event time only
     */
    public AlarmFunction(
            List<AlarmDefinition> definitions, long repeatMillis, long wallClockGraceMillis) {
        this.definitions = new ArrayList<>(definitions);
        this.repeatMillis = repeatMillis;
        this.wallClockGraceMillis = wallClockGraceMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        stall = new WatermarkStall(wallClockGraceMillis);
        states =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alarm-states",
                                        Types.STRING,
                                        TypeInformation.of(AlarmState.class)));
        transitions =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("alarmTransitions");
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<Alert> out)
            throws Exception {
        if (wallClockGraceMillis > 0) {
            stall.observe(
                    ctx.timerService().currentWatermark(),
                    ctx.timerService().currentProcessingTime());
        }
        if (isFoldedSeries(point.dimensions)) {
            return;
        }
        for (AlarmDefinition d : definitions) {
            if (!d.watches(point.metric, point.dimensions)) {
                continue;
            }
            AlarmState state = states.get(d.name());
            if (state == null) {
                state = AlarmEvaluator.initialState(d);
            }
            if (state.dimensions.isEmpty() && !point.dimensions.isEmpty()) {
                state.dimensions = new TreeMap<>(point.dimensions);
            }
            if (AlarmEvaluator.record(d, state, point)) {
                long p = AlarmEvaluator.periodOf(d, point.timestamp);
                registerTimers(ctx.timerService(), AlarmEvaluator.periodEnd(d, p));
            }
            states.put(d.name(), state);
        }
    }

    /**
     * Whether a series is that of the model versions or segments folded into "other" ({@link
     * FoldDimensions}), which no alarm watches: "other" is not a model or a segment but whatever
     * was beyond the cap, its mix changes as values come and go (so a relative threshold compares
     * different traffic), and no action (roll back, retrain) can target it. Its traffic still
     * counts in the overall series, whose alarms keep watching it, and the FoldedDimensionValues
     * warning says that per-version monitoring is incomplete.
     */
    static boolean isFoldedSeries(Map<String, String> dimensions) {
        return DimensionCap.OTHER.equals(dimensions.get(MetricNames.MODEL_VERSION))
                || DimensionCap.OTHER.equals(dimensions.get(MetricNames.USER_SEGMENT));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        boolean wallClock = ctx.timeDomain() == TimeDomain.PROCESSING_TIME;
        if (wallClockGraceMillis > 0) {
            stall.observe(
                    ctx.timerService().currentWatermark(),
                    ctx.timerService().currentProcessingTime());
        }
        if (wallClock && !stall.isStalled(timestamp)) {
            // Behind the clock but moving: event time will get there. While periods are still
            // open that the clock has closed, look again when the watermark would count as
            // stalled.
            if (hasPeriodsClosedBy(timestamp - wallClockGraceMillis)) {
                ctx.timerService()
                        .registerProcessingTimeTimer(Math.max(stall.stalledAt(), timestamp + 1));
            }
            return;
        }
        boolean endOfInput = !wallClock && ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        // The event time this timer stands for: the watermark (which may have jumped far past the
        // timer, in a catch-up), or the wall clock less the grace.
        long now =
                wallClock
                        ? timestamp - wallClockGraceMillis
                        : endOfInput
                                ? timestamp
                                : Math.max(timestamp, ctx.timerService().currentWatermark());
        for (AlarmDefinition d : definitions) {
            AlarmState state = states.get(d.name());
            if (state == null || state.firstPeriod == AlarmState.NONE) {
                continue;
            }
            // Periods that closed at or before this timer.
            long last = Math.floorDiv(now, d.periodMillis()) - 1;
            long first = nextPeriodToEvaluate(state);
            if (first > last) {
                continue;
            }
            if (endOfInput) {
                last = Math.min(last, newestPeriodWithData(d, state, last));
            }
            for (long p = first; p <= last; p++) {
                Optional<Alert> alert =
                        AlarmEvaluator.evaluate(d, state, p, repeatMillis, state.dimensions);
                if (alert.isPresent()) {
                    transitions.inc();
                    out.collect(alert.get());
                }
                if (AlarmEvaluator.windowIsEmpty(d, state, p)) {
                    // Silence: every further window without data gives the same state, so go
                    // straight to the next window with data (or the last), instead of replaying
                    // months of empty periods (and their repeats) after a stray old event.
                    long next = nextPeriodWithData(state, p);
                    p = Math.max(p, Math.min(last, next == AlarmState.NONE ? last : next) - 1);
                }
            }
            AlarmEvaluator.compact(d, state);
            if (!endOfInput && !settled(d, state)) {
                registerTimers(
                        ctx.timerService(), AlarmEvaluator.periodEnd(d, state.evaluatedPeriod + 1));
            }
            states.put(d.name(), state);
        }
    }

    /** Whether a period of some alarm of this series has ended by {@code time} unevaluated. */
    private boolean hasPeriodsClosedBy(long time) throws Exception {
        for (AlarmDefinition d : definitions) {
            AlarmState state = states.get(d.name());
            if (state == null || state.firstPeriod == AlarmState.NONE) {
                continue;
            }
            if (AlarmEvaluator.periodEnd(d, nextPeriodToEvaluate(state)) <= time
                    && !settled(d, state)) {
                return true;
            }
        }
        return false;
    }

    /** The oldest period not evaluated yet: the series' first, or the one after the last. */
    private static long nextPeriodToEvaluate(AlarmState state) {
        return state.evaluatedPeriod == AlarmState.NONE
                ? state.firstPeriod
                : state.evaluatedPeriod + 1;
    }

    private void registerTimers(TimerService timers, long periodEnd) {
        timers.registerEventTimeTimer(periodEnd);
        if (wallClockGraceMillis > 0) {
            timers.registerProcessingTimeTimer(periodEnd + wallClockGraceMillis);
        }
    }

    /** The oldest period after {@code p} that has a datapoint, or NONE. */
    private static long nextPeriodWithData(AlarmState state, long p) {
        long next = AlarmState.NONE;
        for (int i = 0; i < state.slotPeriod.length; i++) {
            long q = state.slotPeriod[i];
            if (q != AlarmState.NONE
                    && q > p
                    && state.slotCount[i] > 0
                    && (next == AlarmState.NONE || q < next)) {
                next = q;
            }
        }
        return next;
    }

    private static long newestPeriodWithData(AlarmDefinition d, AlarmState state, long last) {
        long newest =
                state.evaluatedPeriod == AlarmState.NONE
                        ? state.firstPeriod
                        : state.evaluatedPeriod;
        for (long p : state.slotPeriod) {
            if (p != AlarmState.NONE && p <= last && p > newest) {
                newest = p;
            }
        }
        return newest;
    }

    /**
     * Whether evaluating further empty periods could change nothing: all N periods are empty and
     * the state is what an empty window gives, no repeat is due (a critical ALARM keeps its timer
     * for the repeat), and no flapping series waits to settle.
     */
    static boolean settled(AlarmDefinition d, AlarmState state) {
        if (state.flapping) {
            // A held series must be evaluated on until it is stable, to tell where it settled.
            return false;
        }
        long p = state.evaluatedPeriod;
        if (!AlarmEvaluator.windowIsEmpty(d, state, p)
                || !Double.isNaN(AlarmEvaluator.periodValue(d, state, p + 1))) {
            return false;
        }
        TreatMissingData t = d.treatMissingData();
        if (t == TreatMissingData.BREACHING) {
            return false;
        }
        if (t == TreatMissingData.NOT_BREACHING) {
            return AlarmState.OK.equals(state.state);
        }
        if (t == TreatMissingData.MISSING) {
            return AlarmState.INSUFFICIENT_DATA.equals(state.state);
        }
        return !(AlarmState.ALARM.equals(state.state) && "critical".equals(state.severity));
    }
}
