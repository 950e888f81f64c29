package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.model.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second stage of the alarm engine: all alarm transitions meet under one key ({@link #KEY}),
 * because inhibition and composite rules relate series that the first stage keeps apart. Only
 * transitions flow here (a handful per period, not metric points), so one key is no bottleneck.
 *
 * <p>Transitions are buffered by event time and handled in an event-time timer when the watermark
 * passes their time, all of one time together ({@link AlarmCoordinator}); that makes the outcome
 * independent of the order in which parallel first-stage subtasks deliver them. With a wall-clock
 * grace (live sources, see {@link AlarmFunction}) a processing-time timer releases them too when
 * the watermark has stalled ({@link WatermarkStall}), which is when the outage alarms matter most.
 */
public class IncidentFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;

    /** The one key of this stage. */
    public static final String KEY = "incidents";

    private final AlarmCoordinator coordinator;
    private final long wallClockGraceMillis;

    private transient ValueState<IncidentState> incidents;
    private transient WatermarkStall stall;
    private transient MapState<Long, List<Alert>> pending;
    private transient Counter alertsRaised;

    public IncidentFunction(AlarmCoordinator coordinator, long wallClockGraceMillis) {
        this.coordinator = coordinator;
        this.wallClockGraceMillis = wallClockGraceMillis;
    }

    /** Key selector of this stage. */
    public static String key(Alert alert) {
        return KEY;
    }

    @Override
    public void open(OpenContext openContext) {
        stall = new WatermarkStall(wallClockGraceMillis);
        incidents =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "incidents", TypeInformation.of(IncidentState.class)));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-transitions",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(Alert.class))));
        alertsRaised =
                getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics").counter("alerts");
    }

    @Override
    public void processElement(Alert transition, Context ctx, Collector<Alert> out)
            throws Exception {
        List<Alert> atTime =
                Objects.requireNonNullElseGet(pending.get(transition.time), ArrayList::new);
        atTime.add(transition);
        pending.put(transition.time, atTime);
        ctx.timerService().registerEventTimeTimer(transition.time);
        if (wallClockGraceMillis > 0) {
            stall.observe(
                    ctx.timerService().currentWatermark(),
                    ctx.timerService().currentProcessingTime());
            ctx.timerService().registerProcessingTimeTimer(transition.time + wallClockGraceMillis);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            release(timestamp, out);
            return;
        }
        stall.observe(ctx.timerService().currentWatermark(), timestamp);
        if (!stall.isStalled(timestamp)) {
            // Moving: the watermark will release them. Look again in case it stops.
            if (pending.keys().iterator().hasNext()) {
                ctx.timerService()
                        .registerProcessingTimeTimer(Math.max(stall.stalledAt(), timestamp + 1));
            }
            return;
        }
        // The watermark stalled: release, oldest first, what the wall clock says is due.
        TreeSet<Long> times = new TreeSet<>();
        pending.keys().forEach(times::add);
        for (long time : times.headSet(timestamp - wallClockGraceMillis, true)) {
            release(time, out);
        }
    }

    private void release(long time, Collector<Alert> out) throws Exception {
        List<Alert> batch = pending.get(time);
        if (batch == null) {
            return;
        }
        pending.remove(time);
        IncidentState state = Objects.requireNonNullElseGet(incidents.value(), IncidentState::new);
        for (Alert a : coordinator.process(state, batch, time)) {
            alertsRaised.inc();
            out.collect(a);
        }
        incidents.update(state);
    }
}
