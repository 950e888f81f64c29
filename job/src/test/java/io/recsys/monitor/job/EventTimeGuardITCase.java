package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.DeadLetterJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One valid prediction dated far ahead, inserted into three hours of clean generated traffic, must
 * change nothing but the count of the bad input itself: every metric point of the clean run comes
 * out again with the same value, no other point appears, and the only new alert is the
 * invalid-event warning about that event. Before the event-time guard, such an event moved the
 * watermark, made most later events late and raised volume alarms for the year 9999.
 */
class EventTimeGuardITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final MonitorConfig CONFIG = MonitorConfig.defaults();

    /** The series that count the bad input itself, and may differ. */
    private static final String OUT_OF_RANGE_SERIES = "Rule=time_out_of_range";

    @TempDir static Path output;

    private static List<String> clean;
    private static Run cleanRun;

    /** What one run wrote. */
    private static final class Run {
        final Map<String, List<Double>> points;
        final List<String> alerts;
        final List<DeadLetter> deadLetters;

        Run(Map<String, List<Double>> points, List<String> alerts, List<DeadLetter> deadLetters) {
            this.points = points;
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }
    }

    @BeforeAll
    static void runTheCleanTraffic() throws Exception {
        clean = new ArrayList<>();
        TrafficSimulator simulator = new TrafficSimulator(GeneratorSettings.fromConfig(CONFIG));
        while (simulator.hasNext()) {
            GeneratedEvent event = simulator.next();
            if (event.eventTime >= T0 + 3 * HOUR) {
                break;
            }
            clean.add(event.json);
        }
        cleanRun = run(clean, "clean");
        assertThat(cleanRun.deadLetters).isEmpty();
        assertThat(cleanRun.points).hasSizeGreaterThan(1000);
    }

    @Test
    void aPredictionDatedYear9999ChangesNoMetricPointAndRaisesNoAlert() throws Exception {
        assertOnlyTheOutlierIsCounted(
                Instant.parse("9999-12-31T00:00:00Z").toEpochMilli(), "y9999");
    }

    @Test
    void aPredictionOneDayAheadOfTheFileChangesNoMetricPointAndRaisesNoAlert() throws Exception {
        assertOnlyTheOutlierIsCounted(T0 + 90 * 60_000L + 24 * HOUR, "day-ahead");
    }

    private static void assertOnlyTheOutlierIsCounted(long outlierTime, String name)
            throws Exception {
        List<String> lines = new ArrayList<>(clean);
        // In the middle of the second hour.
        int at = lines.size() / 2;
        lines.add(at, TestEvents.prediction("outlier-1", outlierTime, "v1", "new", 3));
        Run run = run(lines, name);

        assertThat(run.deadLetters).hasSize(1);
        DeadLetter d = run.deadLetters.get(0);
        assertThat(d.category).isEqualTo("time_out_of_range");
        assertThat(d.reason)
                .startsWith("event_time " + Instant.ofEpochMilli(outlierTime))
                .contains("ahead of the stream's event time (reference 2026-01-01T01:");
        assertThat(d.raw).contains("outlier-1");

        Map<String, List<Double>> changed = new TreeMap<>();
        Map<String, List<Double>> expected = new TreeMap<>();
        for (Map.Entry<String, List<Double>> e : run.points.entrySet()) {
            if (!e.getKey().contains(OUT_OF_RANGE_SERIES)) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, List<Double>> e : cleanRun.points.entrySet()) {
            if (!e.getKey().contains(OUT_OF_RANGE_SERIES)) {
                expected.put(e.getKey(), e.getValue());
            }
        }
        List<String> differences = new ArrayList<>();
        for (String key : union(changed.keySet(), expected.keySet())) {
            if (!sameValues(changed.get(key), expected.get(key))) {
                differences.add(
                        key
                                + ": clean "
                                + expected.get(key)
                                + ", with outlier "
                                + changed.get(key));
            }
        }
        assertThat(differences).as("metric points that differ from the clean run's").isEmpty();
        assertThat(changed).hasSameSizeAs(expected);
        // The outlier is counted once, in a window of the traffic around it.
        double outOfRange =
                run.points.entrySet().stream()
                        .filter(
                                e ->
                                        e.getKey().startsWith("InvalidEvents{")
                                                && e.getKey().contains(OUT_OF_RANGE_SERIES + "}"))
                        .flatMap(e -> e.getValue().stream())
                        .mapToDouble(Double::doubleValue)
                        .sum();
        assertThat(outOfRange).isEqualTo(1.0);
        // The data-quality alarm on invalid events reports the rejected event itself, a P3
        // warning by design (any invalid event is an issue); every other alert is the clean run's.
        String invalidEvents = "recommendation-invalid-events {" + OUT_OF_RANGE_SERIES + "}";
        assertThat(run.alerts)
                .filteredOn(a -> a.startsWith(invalidEvents))
                .containsExactly(
                        invalidEvents + " ALARM/warning @2", invalidEvents + " OK/warning @3");
        assertThat(run.alerts)
                .filteredOn(a -> !a.startsWith(invalidEvents))
                .isEqualTo(cleanRun.alerts);
    }

    /**
     * Equal values, but for the last bits of a ratio whose sums were added in the order two input
     * channels happened to interleave (a roll-up of two segments), as between two clean runs.
     */
    private static boolean sameValues(List<Double> a, List<Double> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return a == b;
        }
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i);
            double y = b.get(i);
            if (x != y && Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y))) {
                return false;
            }
        }
        return true;
    }

    private static java.util.SortedSet<String> union(
            java.util.Set<String> a, java.util.Set<String> b) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(a);
        keys.addAll(b);
        return keys;
    }

    private static Run run(List<String> lines, String name) throws Exception {
        Path dir = output.resolve(name);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // One subtask per operator: with two, sums and sketches merge partials in arrival
        // order, and floating-point results differ between any two runs, clean or not.
        env.setParallelism(1);
        MonitoringJob.build(
                env, new FixedInput(lines, CONFIG), LocalOutputs.fresh(dir, false), CONFIG);
        env.execute("event-time-guard-" + name);

        // Every point, by series and window; a corrected window is written again, so a key may
        // have several values, compared as a sorted list (the sinks' order is not fixed).
        Map<String, List<Double>> points = new TreeMap<>();
        for (MetricPoint p : read(dir, LocalOutputs.METRICS_FILE, MetricPointJson::decode)) {
            String key =
                    p.seriesKey() + "@" + p.windowStart + "-" + p.windowEnd + "@" + p.timestamp;
            points.computeIfAbsent(key, k -> new ArrayList<>()).add(p.value);
        }
        points.values().forEach(values -> values.sort(null));
        List<String> alerts =
                read(dir, LocalOutputs.ALERTS_FILE, AlertJson::decode).stream()
                        .map(a -> AlertSummary.of(a, T0, HOUR))
                        .sorted()
                        .collect(Collectors.toList());
        return new Run(
                points, alerts, read(dir, LocalOutputs.DEAD_LETTER_FILE, DeadLetterJson::decode));
    }

    private static <T> List<T> read(Path dir, String file, Function<String, T> decode)
            throws IOException {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty())
                .map(decode)
                .collect(Collectors.toList());
    }
}
