package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole graph over a producer that sends a new model version with every request: the job
 * finishes, keeps the first {@code dimensions.max-model-versions} versions (the source runs in one
 * subtask here, so exactly that many) and folds the rest into "other" in every family, counts them
 * and warns once; with fewer versions than the cap nothing changes.
 */
class DimensionCardinalityITCase {
    private static final int CAP = 50;
    private static final int SEGMENTS = 3;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path output;

    /**
     * {@code versions} model versions over two hours of event time, one request each (version i at
     * T0 + i x 2 h / n), in {@value #SEGMENTS} segments, each with two recommended items and an
     * impression a minute later.
     */
    private static List<String> traffic(int requests, int versions) {
        List<TestEvents.Line> lines = new ArrayList<>();
        long step = 2 * HOUR / requests;
        for (int i = 0; i < requests; i++) {
            String req = "r" + i;
            long t = T0 + i * step;
            String model = modelVersion(i % versions);
            lines.add(
                    new TestEvents.Line(
                            t, TestEvents.prediction(req, t, model, "s" + (i % SEGMENTS), 2)));
            lines.add(
                    new TestEvents.Line(
                            t + 60_000,
                            TestEvents.feedback(req, t + 60_000, "item-0", "impression")));
        }
        lines.sort((a, b) -> Long.compare(a.time, b.time));
        return lines.stream().map(l -> l.json).collect(Collectors.toList());
    }

    private static String modelVersion(int i) {
        return String.format(Locale.ROOT, "m-%05d", i);
    }

    private void run(List<String> lines) throws Exception {
        run(lines, MonitorConfig.defaults());
    }

    private void run(List<String> lines, MonitorConfig config) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        env.execute("dimension-cardinality-test");
    }

    private <T> List<T> read(String file, java.util.function.Function<String, T> decode)
            throws IOException {
        Path path = output.resolve(file);
        if (!Files.exists(path)) {
            return new ArrayList<>();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty())
                .map(decode)
                .collect(Collectors.toList());
    }

    private static Set<String> values(List<MetricPoint> points, String dimension) {
        return points.stream()
                .map(p -> p.dimensions.get(dimension))
                .filter(v -> v != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static double folded(List<MetricPoint> points, String dimension) {
        return points.stream()
                .filter(p -> p.metric.equals(MetricNames.FOLDED_DIMENSION_VALUES))
                .filter(p -> dimension.equals(p.dimensions.get(MetricNames.DIMENSION)))
                .mapToDouble(p -> p.value)
                .sum();
    }

    @Test
    void tenThousandModelVersionsFoldIntoOtherBeyondTheCap() throws Exception {
        int versions = 10_000;
        run(traffic(versions, versions));

        List<MetricPoint> points = read(LocalOutputs.METRICS_FILE, MetricPointJson::decode);
        List<Alert> alerts = read(LocalOutputs.ALERTS_FILE, AlertJson::decode);

        // The first 50 versions in the order the single source subtask read them, and "other".
        Set<String> expected =
                IntStream.range(0, CAP)
                        .mapToObj(DimensionCardinalityITCase::modelVersion)
                        .collect(Collectors.toCollection(TreeSet::new));
        expected.add("other");
        assertThat(values(points, MetricNames.MODEL_VERSION)).isEqualTo(expected);
        // Engagement, recommendation quality, service health, data quality: every family that
        // slices by model version sees the same folded value.
        for (String metric :
                List.of(
                        MetricNames.CTR,
                        MetricNames.DIVERSITY,
                        MetricNames.LATENCY_P50,
                        MetricNames.EVENT_VOLUME)) {
            assertThat(
                            values(
                                    points.stream()
                                            .filter(p -> p.metric.equals(metric))
                                            .collect(Collectors.toList()),
                                    MetricNames.MODEL_VERSION))
                    .as(metric)
                    .contains("other")
                    .hasSizeLessThanOrEqualTo(CAP + 1);
        }
        // Segments are below their cap: untouched.
        assertThat(values(points, MetricNames.USER_SEGMENT)).containsExactly("s0", "s1", "s2");

        assertThat(folded(points, MetricNames.MODEL_VERSION)).isEqualTo(versions - CAP);
        assertThat(folded(points, MetricNames.USER_SEGMENT)).isZero();
        assertThat(folded(points, MetricNames.FEATURE)).isZero();
        // "other" carries the folded traffic: predictions of other in data quality's volume.
        assertThat(
                        points.stream()
                                .filter(p -> p.metric.equals(MetricNames.EVENT_VOLUME))
                                .filter(p -> "other".equals(p.dimensions.get("ModelVersion")))
                                .mapToDouble(p -> p.value)
                                .sum())
                .isEqualTo(versions - CAP);

        // The warning, raised once for the episode: hours 1 and 2 fold, and the second raises
        // nothing new; hour 3 (the last impressions only) folds nothing and resolves it.
        assertThat(alerts)
                .filteredOn(a -> a.alarmName.equals("recommendation-dimension-values-folded"))
                .extracting(a -> AlertSummary.of(a, T0, HOUR))
                .containsExactly(
                        "recommendation-dimension-values-folded {Dimension=ModelVersion}"
                                + " ALARM/warning @1",
                        "recommendation-dimension-values-folded {Dimension=ModelVersion}"
                                + " OK/warning @3");
        assertThat(alerts).noneSatisfy(a -> assertThat(a.dimensions).containsValue("other"));

        // What the keyed state is bounded by: the series of the metric points are the alarm
        // engine's keys, the (model version, segment) slices the windows' keys.
        Set<String> series =
                points.stream().map(MetricPoint::seriesKey).collect(Collectors.toSet());
        long slices =
                points.stream()
                        .filter(p -> p.dimensions.containsKey(MetricNames.USER_SEGMENT))
                        .map(
                                p ->
                                        p.dimensions.get(MetricNames.MODEL_VERSION)
                                                + "/"
                                                + p.dimensions.get(MetricNames.USER_SEGMENT))
                        .distinct()
                        .count();
        assertThat(slices).isLessThanOrEqualTo((CAP + 1) * SEGMENTS);
        System.out.printf(
                Locale.ROOT,
                "%d model versions: %d distinct ModelVersion values in metric points, %d"
                        + " (version, segment) slices, %d metric series, %d metric points%n",
                versions,
                values(points, MetricNames.MODEL_VERSION).size(),
                slices,
                series.size(),
                points.size());
    }

    @Test
    void featureNamesBeyondTheirCapAreDroppedAcrossWindows() throws Exception {
        // Every request brings a feature name of its own besides the four of TestEvents.
        List<String> lines =
                traffic(2_000, 10).stream()
                        .map(
                                l ->
                                        l.replace(
                                                "\"features\":{",
                                                "\"features\":{\"f-" + l.hashCode() + "\":1.5,"))
                        .collect(Collectors.toList());
        run(lines, MonitorConfig.defaults().with("dimensions.max-feature-names", "6"));

        List<MetricPoint> points = read(LocalOutputs.METRICS_FILE, MetricPointJson::decode);
        Set<String> features =
                values(
                        points.stream()
                                .filter(p -> p.metric.equals(MetricNames.FEATURE_MISSING_RATE))
                                .collect(Collectors.toList()),
                        MetricNames.FEATURE);
        // The four names of every event and the own names of the first two requests.
        assertThat(features).hasSize(6).contains("user_age", "device", "is_logged_in", "referrer");
        // Every later prediction lost its own name: counted once each.
        assertThat(folded(points, MetricNames.FEATURE)).isEqualTo(2_000 - 2);
        assertThat(folded(points, MetricNames.MODEL_VERSION)).isZero();
    }

    @Test
    void fewerVersionsThanTheCapChangeNothing() throws Exception {
        int versions = CAP - 10;
        run(traffic(2_000, versions));

        List<MetricPoint> points = read(LocalOutputs.METRICS_FILE, MetricPointJson::decode);
        List<Alert> alerts = read(LocalOutputs.ALERTS_FILE, AlertJson::decode);

        assertThat(values(points, MetricNames.MODEL_VERSION))
                .hasSize(versions)
                .doesNotContain("other");
        assertThat(values(points, MetricNames.USER_SEGMENT)).doesNotContain("other");
        // Reported with 0 for the three dimensions in each of the three hours (the third has the
        // last
        // impressions only), so that the alarm sees a healthy window rather than missing data.
        assertThat(points)
                .filteredOn(p -> p.metric.equals(MetricNames.FOLDED_DIMENSION_VALUES))
                .hasSize(3 * 3)
                .allSatisfy(p -> assertThat(p.value).isZero());
        assertThat(alerts)
                .noneSatisfy(
                        a ->
                                assertThat(a.alarmName)
                                        .isEqualTo("recommendation-dimension-values-folded"));
    }
}
