package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.MINUTE;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.ingest.SplitInput;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.DeadLetterJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

/** The whole graph on a mini-cluster over crafted input whose metrics are known by hand. */
class MonitoringJobITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path output;

    private static List<String> craftedStream() {
        return TestEvents.craftedTraffic(T0);
    }

    private JobExecutionResult run(List<String> lines, MonitorConfig config) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        return env.execute("monitoring-job-test");
    }

    private <T> List<T> read(String file, Function<String, T> decode) throws IOException {
        Path path = output.resolve(file);
        if (!Files.exists(path)) {
            return new ArrayList<>();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty())
                .map(decode)
                .collect(Collectors.toList());
    }

    /** The engagement metrics these crafted streams are about (the graph emits others too). */
    private static List<MetricPoint> engagement(List<MetricPoint> points) {
        return points.stream()
                .filter(
                        p ->
                                p.metric.equals("CTR")
                                        || p.metric.equals("ConversionRate")
                                        || p.metric.equals("AverageOrderValue")
                                        || p.metric.equals("UnattributedFeedback"))
                .collect(Collectors.toList());
    }

    /** metric{dims}@hour-end -> value, of the engagement metrics. */
    private static Map<String, Double> byKey(List<MetricPoint> points) {
        Map<String, Double> map = new HashMap<>();
        for (MetricPoint p : engagement(points)) {
            String key = p.seriesKey() + "@" + (p.timestamp - T0) / HOUR;
            assertThat(map.put(key, p.value)).as("duplicate point " + key).isNull();
        }
        return map;
    }

    @Test
    void computesKnownEngagementMetricsAndRaisesTheLowCtrAlarm() throws Exception {
        MonitorConfig config = MonitorConfig.defaults();
        JobExecutionResult result = run(craftedStream(), config);

        List<MetricPoint> all = read(LocalOutputs.METRICS_FILE, MetricPointJson::decode);
        List<MetricPoint> points = engagement(all);
        Map<String, Double> m = byKey(points);
        assertThat(points)
                .allSatisfy(
                        p -> {
                            assertThat(p.namespace).isEqualTo("RecommendationSystem");
                            assertThat(p.windowEnd - p.windowStart).isEqualTo(HOUR);
                            assertThat(p.timestamp).isEqualTo(p.windowEnd);
                        });

        // Hour 0 (window end = hour 1): overall 5 clicks / 200 impressions.
        assertThat(m.get("CTR{}@1")).isCloseTo(2.5, within(1e-9));
        assertThat(m.get("ConversionRate{}@1")).isCloseTo(40.0, within(1e-9));
        assertThat(m.get("AverageOrderValue{}@1")).isCloseTo(100.0, within(1e-9));
        assertThat(m.get("UnattributedFeedback{}@1")).isEqualTo(1.0);
        assertThat(m.get("CTR{ModelVersion=v1}@1")).isCloseTo(4.0, within(1e-9));
        assertThat(m.get("ConversionRate{ModelVersion=v1}@1")).isCloseTo(50.0, within(1e-9));
        assertThat(m.get("CTR{ModelVersion=v2}@1")).isCloseTo(1.0, within(1e-9));
        assertThat(m.get("ConversionRate{ModelVersion=v2}@1")).isEqualTo(0.0);
        assertThat(m).doesNotContainKey("AverageOrderValue{ModelVersion=v2}@1");
        assertThat(m.get("CTR{ModelVersion=v1, UserSegment=new}@1")).isCloseTo(4.0, within(1e-9));
        assertThat(m.get("CTR{ModelVersion=v2, UserSegment=returning}@1"))
                .isCloseTo(1.0, within(1e-9));

        for (int end = 2; end <= 4; end++) {
            assertThat(m.get("CTR{}@" + end)).isCloseTo(1.5, within(1e-9));
            assertThat(m.get("ConversionRate{}@" + end)).isCloseTo(100.0 / 3, within(1e-9));
            assertThat(m.get("AverageOrderValue{}@" + end)).isCloseTo(50.0, within(1e-9));
            assertThat(m.get("UnattributedFeedback{}@" + end)).isEqualTo(0.0);
            assertThat(m.get("CTR{ModelVersion=v1}@" + end)).isCloseTo(2.0, within(1e-9));
            assertThat(m.get("AverageOrderValue{ModelVersion=v1}@" + end))
                    .isCloseTo(50.0, within(1e-9));
            assertThat(m.get("CTR{ModelVersion=v2}@" + end)).isCloseTo(1.0, within(1e-9));
        }
        // 4 windows x (overall 4 metrics + v1 3 + v1/new 3 + v2 2 + v2/returning 2).
        assertThat(points).hasSize(4 * (4 + 3 + 3 + 2 + 2));

        List<Alert> alerts = read(LocalOutputs.ALERTS_FILE, AlertJson::decode);
        assertThat(alerts)
                .extracting(
                        a ->
                                a.alarmName
                                        + " "
                                        + a.dimensions
                                        + " "
                                        + a.state
                                        + "/"
                                        + a.severity
                                        + " @"
                                        + (a.time - T0) / HOUR)
                .containsExactlyInAnyOrder(
                        "recommendation-low-ctr {ModelVersion=v2} ALARM/critical @3",
                        "recommendation-low-ctr {} ALARM/critical @4",
                        "recommendation-low-ctr {ModelVersion=v1} ALARM/warning @4");
        Alert overall =
                alerts.stream().filter(a -> a.dimensions.isEmpty()).findFirst().orElseThrow();
        assertThat(overall.threshold).isEqualTo(2.0);
        assertThat(overall.value).isCloseTo(1.5, within(1e-9));
        assertThat(overall.route).isEqualTo("ml");
        assertThat(overall.previousState).isEqualTo("OK");

        int events = craftedStream().size();
        assertThat((Long) result.getAccumulatorResult(SplitInput.EVENTS_READ)).isEqualTo(events);
        assertThat((Long) result.getAccumulatorResult(SplitInput.INVALID_EVENTS)).isZero();
        assertThat((Long) result.getAccumulatorResult(SplitInput.LATE_EVENTS)).isZero();
        assertThat((Long) result.getAccumulatorResult(MonitoringJob.METRICS_WRITTEN))
                .isEqualTo(all.size());
        assertThat((Long) result.getAccumulatorResult(MonitoringJob.ALERTS_WRITTEN)).isEqualTo(3L);
        assertThat(read(LocalOutputs.DEAD_LETTER_FILE, DeadLetterJson::decode)).isEmpty();
    }

    @Test
    void impressionFreeStreamsCanUseRecommendedItemsAsTheCtrDenominator() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t = T0 + i * MINUTE;
            lines.add(TestEvents.prediction("r" + i, t, "v1", "new", 8));
            if (i < 2) {
                lines.add(TestEvents.feedback("r" + i, t + 30_000, "item-3", "click"));
            }
        }
        MonitorConfig config =
                MonitorConfig.defaults().with("metrics.ctr-denominator", "recommended-items");
        run(lines, config);
        Map<String, Double> m = byKey(read(LocalOutputs.METRICS_FILE, MetricPointJson::decode));
        // 2 clicks / (5 x 8) recommended items.
        assertThat(m.get("CTR{}@1")).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void malformedAndOverLimitEventsGoToTheDeadLetterOutputAndValidOnesAllCount() throws Exception {
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = T0 + i * MINUTE;
            valid.add(TestEvents.prediction("ok-" + i, t, "v1", "new", 10));
            for (int item = 0; item < 10; item++) {
                valid.add(TestEvents.feedback("ok-" + i, t + 1000, "item-" + item, "impression"));
            }
            if (i < 7) {
                valid.add(TestEvents.feedback("ok-" + i, t + 2000, "item-1", "click"));
            }
        }
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 70_000; i++) {
            huge.append('x');
        }
        Map<String, String> bad = new HashMap<>();
        bad.put("invalid_json", "{\"event_type\":\"prediction\",");
        bad.put(
                "missing_field",
                TestEvents.feedback("ok-1", T0 + 3000, "item-1", "click")
                        .replace("\"request_id\":\"ok-1\",", ""));
        bad.put(
                "wrong_type",
                TestEvents.prediction("bad-type", T0, "v1", "new", 2)
                        .replace("\"latency_ms\":42.0", "\"latency_ms\":\"fast\""));
        bad.put("limit_exceeded", TestEvents.prediction("too-many", T0, "v1", "new", 101));
        bad.put("invalid_value", TestEvents.feedback("ok-2", T0 + 3000, "item-1", "like"));
        bad.put("unknown_event_type", "{\"event_type\":\"pageview\",\"request_id\":\"x\"}");
        bad.put(
                "limit_exceeded/bytes",
                TestEvents.prediction("huge", T0, "v1", huge.toString(), 2));

        // Interleave: a bad line after every few valid ones.
        List<String> lines = new ArrayList<>(valid);
        int at = 3;
        for (String line : bad.values()) {
            lines.add(Math.min(at, lines.size()), line);
            at += 11;
        }

        JobExecutionResult result = run(lines, MonitorConfig.defaults());

        List<DeadLetter> dead = read(LocalOutputs.DEAD_LETTER_FILE, DeadLetterJson::decode);
        assertThat(dead).hasSize(bad.size());
        assertThat(dead)
                .extracting(d -> d.category)
                .containsExactlyInAnyOrder(
                        "invalid_json",
                        "missing_field",
                        "wrong_type",
                        "limit_exceeded",
                        "invalid_value",
                        "unknown_event_type",
                        "limit_exceeded");
        assertThat(dead)
                .allSatisfy(
                        d -> {
                            assertThat(d.reason).isNotBlank();
                            assertThat(d.source).isEqualTo("test");
                            assertThat(d.raw).isNotEmpty();
                            assertThat(d.receivedAt).isPositive();
                        });
        assertThat(dead).anySatisfy(d -> assertThat(d.reason).contains("request_id"));
        assertThat(dead).anySatisfy(d -> assertThat(d.reason).contains("latency_ms"));
        // The oversized event keeps only a truncated copy of its text.
        assertThat(dead).allSatisfy(d -> assertThat(d.raw.length()).isLessThan(5000));

        assertThat((Long) result.getAccumulatorResult(SplitInput.EVENTS_READ))
                .isEqualTo(lines.size());
        assertThat((Long) result.getAccumulatorResult(SplitInput.INVALID_EVENTS))
                .isEqualTo(bad.size());
        // Every valid event counted: 7 clicks on 100 impressions.
        Map<String, Double> m = byKey(read(LocalOutputs.METRICS_FILE, MetricPointJson::decode));
        assertThat(m.get("CTR{}@1")).isCloseTo(7.0, within(1e-9));
    }
}
