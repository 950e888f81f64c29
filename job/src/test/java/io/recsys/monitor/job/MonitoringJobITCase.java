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
import io.recsys.monitor.model.MetricNames;
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

    /**
     * The metrics these crafted streams are about; the graph emits service health and data quality
     * too.
     */
    private static final java.util.Set<String> ENGAGEMENT_AND_QUALITY =
            java.util.Set.of(
                    MetricNames.CTR,
                    MetricNames.CONVERSION_RATE,
                    MetricNames.AVERAGE_ORDER_VALUE,
                    MetricNames.UNATTRIBUTED_FEEDBACK,
                    MetricNames.REVENUE,
                    MetricNames.ADD_TO_CART_RATE,
                    MetricNames.CTR_AT_RANK,
                    MetricNames.LATE_FEEDBACK,
                    MetricNames.PRECISION_AT_10,
                    MetricNames.RECALL_AT_10,
                    MetricNames.NDCG_AT_10,
                    MetricNames.MRR,
                    MetricNames.DIVERSITY,
                    MetricNames.POPULARITY_GINI,
                    MetricNames.NOVELTY,
                    MetricNames.COVERAGE);

    private static List<MetricPoint> engagement(List<MetricPoint> points) {
        return points.stream()
                .filter(p -> ENGAGEMENT_AND_QUALITY.contains(p.metric))
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
        // A few events an hour: the KPI alarms are judged by value here (CraftedTrafficAlarms).
        MonitorConfig config = MonitorConfig.of(Map.of("alarms", CraftedTrafficAlarms.byValue()));
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
        // Revenue, add-to-cart rate, CTR by rank and the online ranking quality, by hand.
        assertThat(m.get("RevenueFromRecommendations{}@1")).isCloseTo(200.0, within(1e-9));
        assertThat(m.get("RevenueFromRecommendations{ModelVersion=v2}@1")).isEqualTo(0.0);
        assertThat(m.get("RevenueFromRecommendations{}@2")).isCloseTo(50.0, within(1e-9));
        // 2 add-to-carts / 5 clicks; v1 in later hours 1 / 2.
        assertThat(m.get("AddToCartRate{}@1")).isCloseTo(40.0, within(1e-9));
        assertThat(m.get("AddToCartRate{ModelVersion=v1}@2")).isCloseTo(50.0, within(1e-9));
        // Every click is on item-0, rank 1: 5 / 20 rank-1 impressions overall, 4 / 10 for v1.
        assertThat(m.get("CTRAtRank{Rank=1}@1")).isCloseTo(25.0, within(1e-9));
        assertThat(m.get("CTRAtRank{ModelVersion=v1, Rank=1}@1")).isCloseTo(40.0, within(1e-9));
        assertThat(m.get("CTRAtRank{Rank=2}@1")).isEqualTo(0.0);
        assertThat(m).doesNotContainKey("CTRAtRank{ModelVersion=v1, Rank=1, UserSegment=new}@1");
        // One relevant item at rank 1 of 10 per clicked response.
        for (String slice : new String[] {"{}", "{ModelVersion=v1}", "{ModelVersion=v2}"}) {
            assertThat(m.get("PrecisionAt10" + slice + "@1")).isCloseTo(0.1, within(1e-9));
            assertThat(m.get("RecallAt10" + slice + "@1")).isEqualTo(1.0);
            assertThat(m.get("NDCGAt10" + slice + "@1")).isCloseTo(1.0, within(1e-12));
            assertThat(m.get("MRR" + slice + "@1")).isEqualTo(1.0);
        }
        // Items item-0..9 in categories i % 3: 33 of 45 pairs differ; every item equally shown.
        for (int end = 1; end <= 4; end++) {
            assertThat(m.get("DiversityScore{}@" + end)).isCloseTo(33.0 / 45, within(1e-12));
            assertThat(m.get("PopularityGini{ModelVersion=v2, UserSegment=returning}@" + end))
                    .isCloseTo(0.0, within(1e-12));
            assertThat(m.get("Novelty{}@" + end))
                    .isCloseTo(Math.log(10) / Math.log(2), within(1e-9));
        }
        // No catalogue size configured: the synthetic generator's (5000, the configured source)
        // is the denominator; 10 distinct items per slice and hour.
        assertThat(points)
                .filteredOn(p -> p.metric.equals("CoveragePercentage"))
                .hasSize(4 * 5)
                .allSatisfy(p -> assertThat(p.value).isCloseTo(100.0 * 10 / 5000, within(0.01)));

        // 4 windows x engagement (overall 20: 5 funnel + 4 ranking + 10 CTRAtRank + unattributed;
        // v1 19; v1/new 9; v2 18 without AverageOrderValue; v2/returning 8) + quality (3 metrics
        // x 5 slices, and coverage).
        assertThat(engagement(points)).hasSize(4 * (20 + 19 + 9 + 18 + 8 + 4 * 5));

        List<Alert> alerts = read(LocalOutputs.ALERTS_FILE, AlertJson::decode);
        assertThat(alerts)
                .extracting(a -> AlertSummary.of(a, T0, HOUR))
                .containsExactlyInAnyOrder(
                        "recommendation-low-ctr {ModelVersion=v2} ALARM/critical @3",
                        "recommendation-low-ctr {} ALARM/critical @4",
                        "recommendation-low-ctr {ModelVersion=v1} ALARM/warning @4",
                        // The other KPI rows of the guide: v2 converts no click in hours 0-2
                        // (critical < 1 %), and the average order value of 50 in hours 1-3 is
                        // below the warning level of 60.
                        "recommendation-low-conversion-rate {ModelVersion=v2} ALARM/critical @3",
                        "recommendation-low-average-order-value {} ALARM/warning @4",
                        "recommendation-low-average-order-value {ModelVersion=v1} ALARM/warning @4",
                        // 10 distinct items of the generator's catalogue of 5000 (critical < 50 %).
                        "recommendation-low-coverage {} ALARM/critical @3",
                        "recommendation-low-coverage {ModelVersion=v1} ALARM/critical @3",
                        "recommendation-low-coverage {ModelVersion=v2} ALARM/critical @3",
                        // 20 predictions and about 200 feedback events an hour, under the guide's
                        // 1000 (warning); critical would take an hour without any event.
                        "recommendation-event-volume-low {Stream=predictions} ALARM/warning @1",
                        "recommendation-event-volume-low {Stream=feedback} ALARM/warning @1",
                        // Every crafted prediction has referrer null: 100 % missing (> 30 %).
                        "recommendation-feature-missing-rate {Feature=referrer} ALARM/critical @1");
        Alert v2 =
                alerts.stream()
                        .filter(
                                a ->
                                        a.alarmName.equals("recommendation-low-ctr")
                                                && "v2".equals(a.modelVersion))
                        .findFirst()
                        .orElseThrow();
        // v2 was below the threshold from its first hour: the breach began with the version.
        assertThat(v2.action).isEqualTo("rollback_model");
        assertThat(v2.priority).isEqualTo("P2");
        assertThat(v2.runbook).isNotEmpty();
        assertThat(v2.recentValues).containsExactly(1.0, 1.0, 1.0);
        Alert overall =
                alerts.stream()
                        .filter(
                                a ->
                                        a.dimensions.isEmpty()
                                                && a.alarmName.equals("recommendation-low-ctr"))
                        .findFirst()
                        .orElseThrow();
        assertThat(overall.threshold).isEqualTo(2.0);
        assertThat(overall.value).isCloseTo(1.5, within(1e-9));
        assertThat(overall.route).isEqualTo("ml");
        assertThat(overall.previousState).isEqualTo("OK");
        // The overall series has no model version to roll back.
        assertThat(overall.action).isEqualTo("none");

        int events = craftedStream().size();
        assertThat((Long) result.getAccumulatorResult(SplitInput.EVENTS_READ)).isEqualTo(events);
        assertThat((Long) result.getAccumulatorResult(SplitInput.INVALID_EVENTS)).isZero();
        assertThat((Long) result.getAccumulatorResult(SplitInput.LATE_EVENTS)).isZero();
        assertThat((Long) result.getAccumulatorResult(MonitoringJob.METRICS_WRITTEN))
                .isEqualTo(all.size());
        assertThat((Long) result.getAccumulatorResult(MonitoringJob.ALERTS_WRITTEN)).isEqualTo(12L);
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
