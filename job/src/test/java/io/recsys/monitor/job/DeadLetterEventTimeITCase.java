package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.dataquality.DeadLetterTimestamps;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
    private static final long HOUR = 3_600_000L;
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int HOURS = 4;
    private static final int UNREADABLE = 300;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

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
                                "generator.scenarios", ""));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < UNREADABLE; i++) {
            // No event_time anywhere: "not json" and a cut-off object.
            lines.add(i % 2 == 0 ? "not json " + i : "{\"event_type\":\"prediction\",\"req");
        }
        TrafficSimulator traffic = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        for (GeneratedEvent e = traffic.next();
                e.eventTime < T0 + HOURS * HOUR;
                e = traffic.next()) {
            lines.add(e.json);
        }

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        JobExecutionResult result = env.execute("dead-letter-event-time");

        List<MetricPoint> metrics =
                read(LocalOutputs.METRICS_FILE).stream()
                        .map(MetricPointJson::decode)
                        .collect(Collectors.toList());
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
        assertThat(read(LocalOutputs.DEAD_LETTER_FILE)).hasSize(UNREADABLE);

        List<Alert> alerts =
                read(LocalOutputs.ALERTS_FILE).stream()
                        .map(AlertJson::decode)
                        .collect(Collectors.toList());
        assertThat(alerts)
                .allSatisfy(a -> assertThat(a.time).isBetween(T0, lastWindowEnd))
                .noneSatisfy(
                        a -> assertThat(a.alarmName).isEqualTo("recommendation-event-volume-low"));
    }

    private List<String> read(String file) throws Exception {
        Path path = output.resolve(file);
        if (!Files.exists(path)) {
            return new ArrayList<>();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
    }
}
