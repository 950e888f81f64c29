package io.recsys.monitor.job.bench;

import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Sinks that drop every record, so that the bench measures the monitoring graph and not a file
 * system or a network.
 */
public final class DiscardingOutputs implements MonitorSinks {
    @Override
    public void metrics(DataStream<MetricPoint> metrics) {
        metrics.sinkTo(new DiscardingSink<>()).uid("sink-metrics-discard").name("Discard metrics");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(new DiscardingSink<>()).uid("sink-alerts-discard").name("Discard alerts");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(new DiscardingSink<>())
                .uid("sink-dead-letters-discard")
                .name("Discard dead letters");
    }

    @Override
    public void driftReports(DataStream<DriftReport> reports) {
        reports.sinkTo(new DiscardingSink<>())
                .uid("sink-drift-discard")
                .name("Discard drift reports");
    }
}
