package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.source.FileInput;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --input DIR --follow}: a file dropped into the watched directory while the job runs is
 * read, and its windows produce metrics without the job ending.
 */
class FileFollowITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void aNewFileInTheWatchedDirectoryIsProcessed() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Path output = dir.resolve("out");
        Map<String, String> settings = new HashMap<>();
        settings.put("source.type", "file");
        settings.put("source.input", input.toString());
        settings.put("source.follow", "true");
        settings.put("source.monitor-interval", "200ms");
        // One source split: no idle second reader holding event time back.
        settings.put("job.parallelism", "1");
        MonitorConfig config = MonitorConfig.of(settings);

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        // The output files show lines when their checkpoint completes: a live run checkpoints.
        env.enableCheckpointing(200);
        MonitoringJob.build(env, new FileInput(config), LocalOutputs.fresh(output, false), config);
        JobClient job = env.executeAsync("follow-test");
        try {
            List<String> lines = TestEvents.craftedTraffic(TestEvents.T0);
            // A late tick moves event time past the first window.
            lines.add(TestEvents.prediction("tick", TestEvents.T0 + 5 * HOUR, "v1", "new", 1));
            Path staged = dir.resolve("events-1.jsonl");
            Files.write(staged, lines, StandardCharsets.UTF_8);
            // Appear at once in the watched directory, as a finished file.
            Files.move(staged, input.resolve("events-1.jsonl"));

            Path metrics = output.resolve(LocalOutputs.METRICS_FILE);
            long deadline = System.nanoTime() + 60_000_000_000L;
            List<MetricPoint> points = List.of();
            while (System.nanoTime() < deadline) {
                if (Files.exists(metrics)) {
                    points =
                            RunOutputs.completeLines(metrics).stream()
                                    .map(MetricPointJson::decode)
                                    .collect(Collectors.toList());
                    if (points.stream()
                                    .filter(p -> p.metric.equals("CTR") && p.dimensions.isEmpty())
                                    .count()
                            >= 4) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("still following")
                    .isFalse();
            MetricPoint firstHour =
                    points.stream()
                            .filter(p -> p.metric.equals("CTR") && p.dimensions.isEmpty())
                            .filter(p -> p.timestamp == TestEvents.T0 + HOUR)
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no CTR for the first hour"));
            assertThat(firstHour.value).isCloseTo(2.5, within(1e-9));
        } finally {
            LiveJobs.cancel(job);
        }
    }

    /**
     * A producer writes a file slowly under a {@code .tmp} name and renames it when complete: the
     * job reads it once, whole. Flink's own filter would read the {@code .tmp} file as far as it
     * was written and then the renamed file again.
     */
    @Test
    void aFileWrittenSlowlyUnderATmpNameIsReadWholeOnceRenamed() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        Path output = dir.resolve("out");
        JobClient job = follow(input, output);
        try {
            // The source lists the directory before the slow write starts.
            Files.write(input.resolve(".ready.tmp"), List.of("not json ready"));
            Files.move(
                    input.resolve(".ready.tmp"),
                    input.resolve("ready.jsonl"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Path deadLetters = output.resolve(LocalOutputs.DEAD_LETTER_FILE);
            awaitLines(deadLetters, 1, "not json ready");

            int lines = 3000;
            Path staged = input.resolve("events.jsonl.tmp");
            try (java.io.Writer out = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
                for (int chunk = 0; chunk < 10; chunk++) {
                    for (int i = 0; i < lines / 10; i++) {
                        out.write("not json " + (chunk * (lines / 10) + i) + "\n");
                    }
                    out.flush();
                    // Longer than the listing interval: each chunk is there to be listed.
                    Thread.sleep(300);
                }
            }
            Files.move(
                    staged,
                    input.resolve("events.jsonl"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // A second file, which the job reads too: the source kept following.
            Files.write(input.resolve(".next.tmp"), List.of("not json marker"));
            Files.move(
                    input.resolve(".next.tmp"),
                    input.resolve("next.jsonl"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            List<String> written = awaitLines(deadLetters, lines + 2, "not json marker");
            assertThat(written).as("the marker of the second file").isNotEmpty();
            assertThat(written.stream().filter(l -> l.contains("not json marker")).count())
                    .isEqualTo(1);
            for (int i : new int[] {0, 1, lines / 2, lines - 1}) {
                String raw = "\"not json " + i + "\"";
                assertThat(written.stream().filter(l -> l.contains(raw)).count())
                        .as("dead letters of line " + i)
                        .isEqualTo(1);
            }
            assertThat(written).as("every line once, and the two markers").hasSize(lines + 2);
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("still following")
                    .isFalse();
        } finally {
            LiveJobs.cancel(job);
        }
    }

    /** The file's lines once it has {@code count} of them and one holds {@code marker}. */
    private static List<String> awaitLines(Path file, int count, String marker) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> written = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                written = RunOutputs.completeLines(file);
                if (written.size() >= count && written.stream().anyMatch(l -> l.contains(marker))) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        return written;
    }

    private static JobClient follow(Path input, Path output) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("source.type", "file");
        settings.put("source.input", input.toString());
        settings.put("source.follow", "true");
        settings.put("source.monitor-interval", "200ms");
        settings.put("job.parallelism", "1");
        MonitorConfig config = MonitorConfig.of(settings);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        // The output files show lines when their checkpoint completes: a live run checkpoints.
        env.enableCheckpointing(200);
        MonitoringJob.build(env, new FileInput(config), LocalOutputs.fresh(output, false), config);
        return env.executeAsync("follow-test");
    }
}
