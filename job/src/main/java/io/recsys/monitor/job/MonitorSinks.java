package io.recsys.monitor.job;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the job's results go: metric points, alerts, dead letters and drift reports.
 * Implementations attach their sinks (local files and console, CloudWatch and SNS, or a test's
 * collector) to the streams.
 */
public interface MonitorSinks {
    void metrics(DataStream<MetricPoint> metrics);

    void alerts(DataStream<Alert> alerts);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    void driftReports(DataStream<DriftReport> reports);
}
