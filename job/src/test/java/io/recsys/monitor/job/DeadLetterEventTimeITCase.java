package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.dataquality.DeadLetterTimestamps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job over a replay that starts with unreadable lines (no event time) followed by clean
 * traffic of 2026-01-01: nothing an alarm sees is stamped outside the data's hours. Before, the
 * dead letters met before the first watermark were placed at the wall clock, opened data quality
 * windows at today's hour that held nothing but them, and raised {@code
 * recommendation-event-volume-low} P0 for the predictions and feedback streams there.
 */
class DeadLetterEventTimeITCase {
    private static final int HOURS = 4;
    private static final int UNREADABLE = 300;

    @RegisterExtension static final MiniClusterExtension CLUSTER = LocalReplay.miniCluster();

    @TempDir Path output;

    @Test
    void unreadableLinesBeforeTheFirstEventCountInTheDataHoursAndRaiseNoAlertOutsideThem()
            throws Exception {
        // The clean configuration of AlarmScenarioITCase, whose 12 clean hours raise no alert.
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "generator.requests-per-second", "0.5",
                                "generator.catalogue-size", "2000",
                                "generator.add-to-cart-rate", "0.3",
                                "generator.purchase-rate", "0.5",
                                "generator.scenarios", "",
                                "generator.traffic-cycles", "flat"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < UNREADABLE; i++) {
            // No event_time anywhere: "not json" and a cut-off object.
            lines.add(i % 2 == 0 ? "not json " + i : "{\"event_type\":\"prediction\",\"req");
        }
        lines.addAll(LocalReplay.generatedLines(config, T0 + HOURS * HOUR));
        JobExecutionResult result =
                LocalReplay.run("dead-letter-event-time", lines, config, output);

        List<MetricPoint> metrics = RunOutputs.metricPoints(output);
        assertThat(metrics).isNotEmpty();
        // Every metric point, of every family, lies in the data's hours; those of the last
        // predictions' feedback, which comes up to the attribution window (30 min) after them,
        // end with the hourly window that holds it.
        long dataEnd = T0 + HOURS * HOUR;
        assertThat(config.get(Settings.ATTRIBUTION_WINDOW).toMillis()).isLessThanOrEqualTo(HOUR);
        long lastWindowEnd = dataEnd + HOUR;
        assertThat(metrics)
                .allSatisfy(
                        m -> {
                            assertThat(m.windowStart).isBetween(T0, dataEnd);
                            assertThat(m.timestamp).isBetween(T0, lastWindowEnd);
                        });
        // The dead letters held for the first watermark were counted there, none excluded.
        assertThat(
                        metrics.stream()
                                .filter(m -> m.metric.equals(MetricNames.INVALID_EVENTS))
                                .filter(
                                        m ->
                                                m.dimensions.equals(
                                                        Map.of(MetricNames.RULE, "invalid_json")))
                                .mapToDouble(m -> m.value)
                                .sum())
                .isEqualTo(UNREADABLE);
        assertThat((Long) result.getAccumulatorResult(DeadLetterTimestamps.EXCLUDED_ACCUMULATOR))
                .isZero();
        assertThat(RunOutputs.lines(output, LocalOutputs.DEAD_LETTER_FILE)).hasSize(UNREADABLE);

        List<Alert> alerts = RunOutputs.alerts(output);
        assertThat(alerts)
                .allSatisfy(a -> assertThat(a.time).isBetween(T0, lastWindowEnd))
                .noneSatisfy(
                        a -> assertThat(a.alarmName).isEqualTo("recommendation-event-volume-low"));
    }
}
