package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs the alarm definitions over metric points, keyed by series (metric and dimensions). The state
 * of every alarm of a series is Flink state, so that after a restart from a checkpoint an alarm
 * that is already raised does not alert again.
 */
public class AlarmFunction extends KeyedProcessFunction<String, MetricPoint, Alert> {
    private static final long serialVersionUID = 1L;

    private final ArrayList<AlarmDefinition> definitions;

    private transient MapState<String, AlarmState> states;
    private transient Counter alertsRaised;

    public AlarmFunction(List<AlarmDefinition> definitions) {
        this.definitions = new ArrayList<>(definitions);
    }

    /** The key of a point's series. */
    public static String seriesKey(MetricPoint point) {
        return point.seriesKey();
    }

    @Override
    public void open(Configuration parameters) {
        states =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alarm-states",
                                        Types.STRING,
                                        TypeInformation.of(AlarmState.class)));
        alertsRaised =
                getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics").counter("alerts");
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<Alert> out)
            throws Exception {
        for (AlarmDefinition definition : definitions) {
            if (!definition.watches(point.metric, point.dimensions.keySet())) {
                continue;
            }
            AlarmState state = states.get(definition.name());
            if (state == null) {
                state = AlarmEvaluator.initialState(definition);
            }
            Optional<Alert> alert = AlarmEvaluator.evaluate(definition, state, point);
            states.put(definition.name(), state);
            if (alert.isPresent()) {
                alertsRaised.inc();
                out.collect(alert.get());
            }
        }
    }
}
