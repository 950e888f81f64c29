package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.MINUTE;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * Disorder without loss: three hours of generated traffic (with an error burst in the third hour,
 * so that the health alarms have something true to fire on), run once in event-time order and once
 * with every line delayed by up to ten minutes (a shuffle with a fixed seed, as a Kinesis
 * resharding or a producer retry delays records). The watermark trails the newest event by its
 * default 30 s, so most of the disordered lines are late, and the health windows must correct
 * themselves: the last value emitted for every service-health point (metric, dimensions, window) is
 * exactly the ordered run's, nothing is counted as later than the allowed lateness, and no health
 * alarm fires on the disordered run that does not fire on the ordered one. The two runs compared
 * for alarms have one subtask per operator and a watermark per event ({@link PunctuatedInput}), so
 * that they are the same every time; a third run of the disordered lines, with two subtasks and
 * wall-clock watermarks, must end with the same values too.
 *
 * <p>At the generator's one request per second a window's latency sketch holds every value (it
 * compacts from about 150 values on), so even the percentiles are exact; a busier window's sketch
 * would depend on the order of its merges, within its rank error.
 */
class DisorderedHealthITCase {
    private static final long END = T0 + 3 * HOUR;
    private static final long BURST = T0 + 2 * HOUR + 20 * MINUTE;
    private static final long MAX_DELAY = 10 * MINUTE;
    private static final long SEED = 13;

    private static final Set<String> HEALTH_METRICS =
            Set.of(
                    MetricNames.LATENCY_P50,
                    MetricNames.LATENCY_P95,
                    MetricNames.LATENCY_P99,
                    MetricNames.ERROR_RATE,
                    MetricNames.ERRORS,
                    MetricNames.THROUGHPUT,
                    MetricNames.AVAILABILITY);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path ordered;
    @TempDir static Path disordered;
    @TempDir static Path disorderedInParallel;

    private static List<String> lines;
    private static long delayedLines;

    @BeforeAll
    static void runBothOrders() throws Exception {
        MonitorConfig config =
                MonitorConfig.defaults()
                        .with("generator.scenarios", "error-burst@" + Instant.ofEpochMilli(BURST));
        TrafficSimulator traffic = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        List<GeneratedEvent> events = new ArrayList<>();
        for (GeneratedEvent e = traffic.next(); e.eventTime < END; e = traffic.next()) {
            events.add(e);
        }
        lines = events.stream().map(e -> e.json).collect(Collectors.toList());
        run(lines, ordered, config);
        List<String> shuffled = disorder(events);
        run(shuffled, disordered, config);
        runInParallel(shuffled, disorderedInParallel, config);
    }

    /**
     * The lines in the order of event time plus a delay drawn per line, uniform in [0, 10 min),
     * from a fixed seed; ties keep the generated order.
     */
    private static List<String> disorder(List<GeneratedEvent> events) {
        Random random = new Random(SEED);
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long delay = (long) (random.nextDouble() * MAX_DELAY);
            keyed.add(new long[] {events.get(i).eventTime + delay, i});
        }
        keyed.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        List<String> shuffled = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (long[] k : keyed) {
            GeneratedEvent e = events.get((int) k[1]);
            if (e.eventTime < maxSeen - 30_000) {
                delayedLines++;
            }
            maxSeen = Math.max(maxSeen, e.eventTime);
            shuffled.add(e.json);
        }
        return shuffled;
    }

    private static void run(List<String> input, Path output, MonitorConfig config)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // One subtask per operator and a watermark after every event: records and watermarks
        // meet every operator in one order, so each run emits the same points in the same order
        // (the wall-clock watermarks of a live source would make the first values of a window,
        // which the alarms see, depend on the machine's pace).
        env.setParallelism(1);
        MonitoringJob.build(
                env, new PunctuatedInput(input, config), LocalOutputs.fresh(output, false), config);
        env.execute("disorder-" + output.getFileName());
    }

    /**
     * As a live job runs: two subtasks, so that a late response re-fires its window once per
     * upstream subtask, and watermarks by the wall clock (every 10 ms). Which partial values are
     * emitted first then depends on the machine's pace, but not the last ones: every line is within
     * the allowed lateness whatever the watermark, since none is more than 10 minutes behind the
     * newest line before it.
     */
    private static void runInParallel(List<String> input, Path output, MonitorConfig config)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        MonitoringJob.build(
                env, new FixedInput(input, config), LocalOutputs.fresh(output, false), config);
        env.execute("disorder-in-parallel");
    }

    private static <T> List<T> read(Path dir, String file, Function<String, T> decode)
            throws Exception {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty())
                .map(decode)
                .collect(Collectors.toList());
    }

    /** The last value emitted for each health point: series @ window end. */
    private static TreeMap<String, Double> lastHealthValues(Path dir) throws Exception {
        TreeMap<String, Double> last = new TreeMap<>();
        for (MetricPoint p : read(dir, LocalOutputs.METRICS_FILE, MetricPointJson::decode)) {
            if (HEALTH_METRICS.contains(p.metric)) {
                last.put(p.seriesKey() + "@" + Instant.ofEpochMilli(p.timestamp), p.value);
            }
        }
        return last;
    }

    private static long points(Path dir, String metric) throws Exception {
        return read(dir, LocalOutputs.METRICS_FILE, MetricPointJson::decode).stream()
                .filter(p -> p.metric.equals(metric))
                .count();
    }

    /** The health alarms that went into ALARM, by alarm and series (not by time or severity). */
    private static Set<String> firingHealthAlarms(Path dir) throws Exception {
        Set<String> alarms = new TreeSet<>();
        for (Alert a : healthAlerts(dir)) {
            if ("ALARM".equals(a.state)) {
                alarms.add(a.alarmName + " " + a.dimensions);
            }
        }
        return alarms;
    }

    private static List<Alert> healthAlerts(Path dir) throws Exception {
        return read(dir, LocalOutputs.ALERTS_FILE, AlertJson::decode).stream()
                .filter(a -> HEALTH_METRICS.contains(a.metric))
                .collect(Collectors.toList());
    }

    @Test
    void theDisorderIsReal() {
        // Most lines come more than the watermark's 30 s behind the newest one.
        assertThat(delayedLines).isGreaterThan(lines.size() / 2);
    }

    @Test
    void everyHealthPointEndsWithTheOrderedValue() throws Exception {
        TreeMap<String, Double> expected = lastHealthValues(ordered);
        TreeMap<String, Double> actual = lastHealthValues(disordered);
        // Three hours of one-minute windows, overall and per model version and segment.
        assertThat(expected.keySet().stream().filter(k -> k.startsWith("RequestsPerSecond{}@")))
                .hasSize(180);
        assertThat(actual).isEqualTo(expected);
        assertThat(lastHealthValues(disorderedInParallel)).isEqualTo(expected);
    }

    @Test
    void nothingIsLaterThanTheAllowedLateness() throws Exception {
        assertThat(points(disordered, MetricNames.LATE_RESPONSES)).isZero();
        assertThat(points(ordered, MetricNames.LATE_RESPONSES)).isZero();
        assertThat(points(disorderedInParallel, MetricNames.LATE_RESPONSES)).isZero();
    }

    /**
     * Alarms see the first value of each window, which in the disordered run holds only the part of
     * the window that arrived in time; the corrections come after the alarm has evaluated that
     * period (the alarm engine ignores points of an evaluated period). So in the burst an alarm may
     * pass through warning, or flap, where the ordered run goes straight to critical; what must not
     * happen is an alarm on a series the ordered run never alarms on, or any alarm in quiet
     * traffic, where main raised a false P0 availability alarm for an hour.
     */
    @Test
    void noHealthAlarmFiresThatTheOrderedRunDoesNotFire() throws Exception {
        Set<String> expected = firingHealthAlarms(ordered);
        // The burst is seen in order: the availability and error-rate alarms fire.
        assertThat(expected)
                .contains("recommendation-api-availability {}", "recommendation-api-error-rate {}");
        assertThat(firingHealthAlarms(disordered)).isSubsetOf(expected);
        for (Path run : List.of(ordered, disordered)) {
            assertThat(healthAlerts(run))
                    .as("health alerts before the burst")
                    .allSatisfy(a -> assertThat(a.time).isGreaterThan(BURST));
        }
    }
}
