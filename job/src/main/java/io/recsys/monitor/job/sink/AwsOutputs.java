package io.recsys.monitor.job.sink;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.cloudwatch.CloudWatchMetricsSink;
import io.recsys.monitor.sinks.deadletter.DeadLetterDestination;
import io.recsys.monitor.sinks.deadletter.DeadLetterSink;
import io.recsys.monitor.sinks.sns.SnsAlertSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The production outputs: metric points to Amazon CloudWatch (PutMetricData), alerts to the Amazon
 * SNS topics of their route (PublishBatch), and dead letters and drift reports to the job's log
 * (CloudWatch Logs on Managed Service for Apache Flink) as structured lines. With {@code
 * dead-letter.destination} sqs or kinesis, dead letters, raw line included, are also kept in that
 * queue or stream; the log line stays, without the raw text.
 */
public final class AwsOutputs implements MonitorSinks {
    private final MonitorConfig config;

    public AwsOutputs(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public void metrics(DataStream<MetricPoint> metrics) {
        metrics.sinkTo(CloudWatchMetricsSink.fromConfig(config))
                .uid("sink-metrics-cloudwatch")
                .name("CloudWatch: PutMetricData");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        // One writer keeps alerts in order, so that a resolution never overtakes its alarm.
        alerts.sinkTo(SnsAlertSink.fromConfig(config))
                .setParallelism(1)
                .uid("sink-alerts-sns")
                .name("SNS: alerts by route");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters
                .sinkTo(new LoggedDeadLetters())
                .uid("sink-dead-letter-log")
                .name("Dead letters: job log");
        DeadLetterDestination destination =
                DeadLetterDestination.ofConfig(config.get(Settings.DEAD_LETTER_DESTINATION));
        if (destination == DeadLetterDestination.SQS) {
            deadLetters
                    .sinkTo(DeadLetterSink.fromConfig(config))
                    .uid("sink-dead-letters-sqs")
                    .name("SQS: dead letters");
        } else if (destination == DeadLetterDestination.KINESIS) {
            deadLetters
                    .sinkTo(DeadLetterSink.fromConfig(config))
                    .uid("sink-dead-letters-kinesis")
                    .name("Kinesis: dead letters");
        }
    }

    @Override
    public void driftReports(DataStream<DriftReport> reports) {
        reports.sinkTo(new LoggedDriftReports())
                .uid("sink-drift-log")
                .name("Drift reports: job log");
    }
}
