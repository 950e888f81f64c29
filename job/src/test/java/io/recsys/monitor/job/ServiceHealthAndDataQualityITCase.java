package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.MINUTE;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The whole graph, generic types disabled, over 75 minutes of generated traffic with three
 * scenarios at known event times: a latency spike from minute 20:30, an error burst (20 % of
 * responses fail) from minute 40, malformed events (5 % of lines) from minute 60. Each must move
 * its metric in the window it starts in, and not before.
 */
class ServiceHealthAndDataQualityITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long SPIKE = T0 + 20 * MINUTE + 30_000;
    private static final long BURST = T0 + 40 * MINUTE;
    private static final long MALFORMED = T0 + 60 * MINUTE;
    private static final long END = T0 + 75 * MINUTE;
    private static final long DQ_PERIOD = 10 * MINUTE;

    @TempDir static Path output;

    /** series@minutes-after-T0-of-window-end -> value. */
    private static final Map<String, Double> M = new HashMap<>();

    private static String at(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    @BeforeAll
    static void runTheJobOverGeneratedTraffic() throws Exception {
        MonitorConfig config =
                MonitorConfig.defaults()
                        .with("generator.requests-per-second", "4")
                        // Flat traffic: the per-minute counts asserted are those of 4 requests/s.
                        .with("generator.traffic-cycles", "flat")
                        .with(
                                "generator.scenarios",
                                "latency-spike@"
                                        + at(SPIKE)
                                        + ",error-burst@"
                                        + at(BURST)
                                        + ",malformed-events@"
                                        + at(MALFORMED))
                        .with("metrics.data-quality-period", DQ_PERIOD / 1000 + "s");
        TrafficSimulator traffic = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        List<String> lines = new ArrayList<>();
        for (GeneratedEvent e = traffic.next(); e.eventTime < END; e = traffic.next()) {
            lines.add(e.json);
        }

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Watermarks are emitted by the wall clock: at the default 200 ms, this replay's pace
        // puts minutes of event time between two of them, and a dead letter without an event
        // time is stamped at the last one. 10 ms keeps that to seconds, whatever the job's speed.
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        MonitoringJob.build(
                env, new FixedInput(lines, config), LocalOutputs.fresh(output, false), config);
        env.execute("health-and-quality-test");

        List<MetricPoint> points =
                Files.readAllLines(
                                output.resolve(LocalOutputs.METRICS_FILE), StandardCharsets.UTF_8)
                        .stream()
                        .filter(l -> !l.isEmpty())
                        .map(MetricPointJson::decode)
                        .filter(p -> !p.metric.equals("EventLagSeconds"))
                        .collect(Collectors.toList());
        for (MetricPoint p : points) {
            String key = p.seriesKey() + "@" + (p.windowEnd - T0) / MINUTE;
            assertThat(M.put(key, p.value)).as("duplicate point " + key).isNull();
        }
    }

    private static final String[] CATEGORIES = {
        "invalid_json", "missing_field", "wrong_type", "limit_exceeded", "invalid_value"
    };

    private static double invalidEvents(int windowEnd) {
        double invalid = 0;
        for (String category : CATEGORIES) {
            invalid += v("InvalidEvents{Rule=" + category + "}@" + windowEnd);
        }
        return invalid;
    }

    private static double v(String key) {
        assertThat(M).containsKey(key);
        return M.get(key);
    }

    @Test
    void latencyP99RisesInTheWindowTheSpikeStartsIn() {
        double before = 0;
        for (int end = 1; end <= 20; end++) {
            before = Math.max(before, v("LatencyP99{}@" + end));
            assertThat(v("LatencyP50{}@" + end)).isBetween(40.0, 90.0);
        }
        // Window [20, 21) is half spiked (x5): its p99 is the spiked tail.
        assertThat(v("LatencyP99{}@21")).isGreaterThan(2.5 * before);
        assertThat(v("LatencyP50{}@25")).isGreaterThan(4 * 40.0);
        assertThat(v("LatencyP99{ModelVersion=v1}@21")).isGreaterThan(2 * before);
        assertThat(v("LatencyP95{}@21")).isLessThan(v("LatencyP99{}@21"));
    }

    @Test
    void errorRateIsAboutTwentyPercentFromTheBurstOn() {
        double sumAfter = 0;
        for (int end = 1; end <= 40; end++) {
            assertThat(v("ErrorRate{}@" + end)).isLessThan(3.0);
            assertThat(v("Availability{}@" + end)).isEqualTo(100.0);
        }
        for (int end = 41; end <= 75; end++) {
            double rate = v("ErrorRate{}@" + end);
            assertThat(rate).isBetween(10.0, 30.0);
            sumAfter += rate;
        }
        assertThat(sumAfter / 35).isBetween(18.0, 22.0);
        // Availability over the last 60 windows: 40 good ones, then every burst window bad.
        assertThat(v("Availability{}@60"))
                .isCloseTo(40 * 100.0 / 60, org.assertj.core.api.Assertions.within(1e-9));
        // The generator's error types, each counted with its dimension.
        assertThat(
                        M.keySet().stream()
                                .filter(
                                        k ->
                                                k.startsWith("Errors{ErrorType=")
                                                        && !k.contains("ModelVersion")
                                                        && k.endsWith("@50")))
                .containsExactlyInAnyOrder(
                        "Errors{ErrorType=FeatureStoreUnavailable}@50",
                        "Errors{ErrorType=ModelServerError}@50",
                        "Errors{ErrorType=ModelTimeout}@50");
        // About 4 requests per second.
        assertThat(v("RequestsPerSecond{}@10")).isBetween(3.0, 5.0);
    }

    @Test
    void invalidEventsAndMissingRequiredFieldsAppearAfterMalformedEventsStart() {
        // A line cut before its event_time is counted at the watermark where it is met. The
        // watermark is emitted periodically (every 10 ms here), which at this replay's pace is
        // seconds of event time, so some of the scenario's cut lines can show in the window just
        // before it starts (window 60), a small part of what the scenario's windows hold; never
        // ten minutes earlier.
        double invalid = invalidEvents(70);
        for (int end = 10; end <= 50; end += 10) {
            assertThat(invalidEvents(end))
                    .as("invalid events in window ending " + end)
                    .isLessThan(0.05 * invalid);
            assertThat(v("FieldMissingRate{Field=request_id}@" + end)).isLessThan(0.1);
        }
        assertThat(invalidEvents(60)).isLessThan(0.5 * invalid);
        for (String category : CATEGORIES) {
            assertThat(v("InvalidEvents{Rule=" + category + "}@70")).as(category).isPositive();
        }
        double volume =
                v("EventVolume{Stream=predictions}@70") + v("EventVolume{Stream=feedback}@70");
        // 5 % of the lines are malformed.
        assertThat(invalid / (volume + invalid)).isBetween(0.035, 0.065);
        assertThat(v("FieldMissingRate{Field=request_id}@70")).isBetween(0.5, 2.5);
        assertThat(v("ValidityViolations{Rule=known_action}@70")).isPositive();
        // The generator leaves referrer null in 5 % of predictions.
        assertThat(v("FeatureMissingRate{Feature=referrer}@10")).isBetween(3.5, 6.5);
        assertThat(v("FeatureMissingRate{Feature=user_age}@10")).isZero();
        assertThat(v("FeatureMissingRate{Feature=referrer, ModelVersion=v1}@10"))
                .isBetween(3.0, 7.0);
        assertThat(v("EventVolume{Stream=predictions}@10")).isBetween(2000.0, 2800.0);
    }
}
