package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Adds the alarm engine to a job graph: metric points in, alerts out. Two stages: {@link
 * AlarmFunction} keyed by series (M of N with timers at period ends, per-series Flink state), then
 * {@link IncidentFunction} under one key (inhibition, composites, what is news). The alarm catalog
 * is checked against the metric vocabulary first, so a wrong definition stops start-up.
 */
public final class AlarmEngine {
    private AlarmEngine() {}

    /**
     * @param wallClockGraceMillis see {@link AlarmFunction}; 0 unless event time follows the clock
     * @throws io.recsys.monitor.config.ConfigException naming a wrong alarm definition
     */
    public static SingleOutputStreamOperator<Alert> attach(
            DataStream<MetricPoint> metrics,
            AlarmCatalog catalog,
            long repeatMillis,
            long wallClockGraceMillis) {
        KnownMetrics.check(catalog);
        return metrics.keyBy(MetricPoint::seriesKey)
                .process(new AlarmFunction(catalog.alarms(), repeatMillis, wallClockGraceMillis))
                .uid("alarm-engine")
                .name("Alarm engine: M of N per series")
                .keyBy(IncidentFunction::key)
                .process(new IncidentFunction(new AlarmCoordinator(catalog), wallClockGraceMillis))
                .uid("alarm-incidents")
                .name("Alarm incidents: inhibition, composites, notifications");
    }
}
