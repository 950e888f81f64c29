package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file and console sinks inside a (mini) cluster, as the job uses them: writers created by the
 * runtime, lines committed at the end of an input without checkpoints, a parallel file sink
 * refused.
 *
 * <p>Records are created in the same chain as the sink with object reuse on, so that they are never
 * serialized: the {@code TreeMap} dimensions of {@link MetricPoint} and {@link Alert} fall back to
 * Kryo, which on Java 17 fails without {@code --add-opens java.base/java.util}. That is a model and
 * build question, not one of these sinks.
 */
class JsonLinesFileSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long HOUR = 3_600_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int HOURS = 50;

    // The mini cluster runs in this JVM: the listener, serialized into the job, adds to this queue.
    private static final Queue<String> COMMITTED = new ConcurrentLinkedQueue<>();

    @TempDir Path dir;

    // A static method: a bound reference (COMMITTED::add) would ship a copy of the queue.
    private static void committed(String line) {
        COMMITTED.add(line);
    }

    @Test
    void writesEveryMetricPointAsOneJsonLine() throws Exception {
        Path file = dir.resolve("out/metrics.jsonl");
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();

        env.fromSequence(0, HOURS - 1)
                .map(JsonLinesFileSinkITCase::hourlyCtr)
                .sinkTo(JsonLinesFileSink.forPath(file, new MetricPointJson()))
                .uid("metrics-file")
                .name("metrics-file");
        env.execute("json-lines-file-sink");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(HOURS);
        assertThat(lines.get(0)).contains("\"window_end\":\"2026-01-01T01:00:00.000Z\"");
        assertThat(lines.get(7)).contains("\"value\":null");
        assertThat(lines.stream().map(MetricPointJson::decode).collect(Collectors.toList()))
                .containsExactlyElementsOf(
                        LongStream.range(0, HOURS)
                                .mapToObj(JsonLinesFileSinkITCase::hourlyCtr)
                                .collect(Collectors.toList()));
    }

    @Test
    void failsTheJobWhenRunInParallel() {
        StreamExecutionEnvironment env = environment();
        env.setParallelism(2);
        env.fromData("a", "b", "c", "d")
                .sinkTo(JsonLinesFileSink.forPath(dir.resolve("x.jsonl"), value -> value))
                .uid("parallel-file")
                .name("parallel-file");

        assertThatThrownBy(() -> env.execute("parallel-json-lines-file-sink"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must run with parallelism 1");
    }

    @Test
    void tellsEachCommittedLineOnceAtTheEndOfABoundedInput() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        COMMITTED.clear();

        env.fromSequence(0, 1)
                .map(JsonLinesFileSinkITCase::lowCtrAlert)
                .sinkTo(
                        JsonLinesFileSink.forPath(file, new AlertJson())
                                .withCommittedLines(JsonLinesFileSinkITCase::committed))
                .uid("alerts-file")
                .name("alerts-file");
        env.execute("committed-alert-lines");

        assertThat(COMMITTED).containsExactlyElementsOf(Files.readAllLines(file)).hasSize(2);
        assertThat(AlertJson.decode(COMMITTED.peek()).state).isEqualTo("ALARM");
    }

    @Test
    void printsEachCommittedAlertToTheConsoleOnce() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        env.fromSequence(0, 1)
                .map(JsonLinesFileSinkITCase::lowCtrAlert)
                .sinkTo(
                        JsonLinesFileSink.forPath(file, new AlertJson())
                                .withCommittedLines(new ConsoleAlertPrinter()))
                .uid("alerts-file")
                .name("alerts-file");

        // The printer travels to the task without its stream and prints to System.out, which the
        // mini cluster shares with this JVM; its log goes to System.err.
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            env.execute("console-alert-lines");
        } finally {
            System.setOut(stdout);
        }

        List<String> printed =
                console.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(line -> line.contains("recommendation-low-ctr"))
                        .collect(Collectors.toList());
        assertThat(printed)
                .containsExactly(
                        AlertLine.format(lowCtrAlert(0)), AlertLine.format(lowCtrAlert(1)));
        assertThat(printed.get(0))
                .startsWith("2026-01-01T00:00:00Z CRITICAL ALARM recommendation-low-ctr CTR");
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    private static MetricPoint hourlyCtr(long hour) {
        return new MetricPoint(
                "RecSys/Monitor",
                "CTR",
                Map.of("ModelVersion", "v" + (hour % 2)),
                hour == 7 ? Double.NaN : 1.0 + hour / 100.0,
                "Percent",
                START + hour * HOUR,
                START + (hour + 1) * HOUR);
    }

    private static Alert lowCtrAlert(long index) {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "critical";
        alert.state = index == 0 ? "ALARM" : "OK";
        alert.previousState = index == 0 ? "OK" : "ALARM";
        alert.metric = "CTR";
        alert.value = index == 0 ? 1.52 : 2.41;
        alert.threshold = 2.0;
        alert.time = START + index * HOUR;
        alert.reason = "CTR below 2.0 in 3 of 3 periods";
        return alert;
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
