package io.recsys.monitor.job;

import static io.recsys.monitor.job.DriftDetectionITCase.DAY_1;
import static io.recsys.monitor.job.DriftDetectionITCase.DAY_2;
import static io.recsys.monitor.job.DriftDetectionITCase.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.source.FileInput;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.sinks.json.DriftReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
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
 * A reference profile dropped into the watched directory while the job runs is broadcast to the
 * drift operators and used from then on, without a restart: reports before it say no-reference,
 * reports after it name its version.
 */
class ReferenceHotSwapITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    /** The traffic of {@code hours} hours from {@code start}, one list of lines per hour. */
    private static List<List<String>> hourly(long start, int hours) {
        EventParser parser = new EventParser(EventLimits.defaults());
        Map<Long, List<String>> byHour = new TreeMap<>();
        for (String line : DriftDetectionITCase.traffic(2, start, hours, "")) {
            PredictionEvent p = parser.parse(line, "test", 0).prediction;
            long hour = p == null ? 0 : (p.eventTime - start) / HOUR;
            byHour.computeIfAbsent(hour, h -> new ArrayList<>()).add(line);
        }
        return new ArrayList<>(byHour.values());
    }

    private static void drop(Path staging, Path watched, String name, List<String> lines)
            throws Exception {
        Path staged = staging.resolve(name);
        Files.write(staged, lines, StandardCharsets.UTF_8);
        // Appears at once, complete, as a producer's finished file would.
        Files.move(staged, watched.resolve(name));
    }

    private static List<DriftReport> reports(Path output) throws Exception {
        return RunOutputs.completeLines(output.resolve(LocalOutputs.DRIFT_FILE)).stream()
                .map(DriftReportJson::decode)
                .collect(Collectors.toList());
    }

    /** Polls the drift output until one report matches, for at most {@code seconds}. */
    private static boolean awaitReport(Path output, Predicate<DriftReport> match, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (reports(output).stream().anyMatch(match)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void aReferenceDroppedWhileRunningIsUsedWithoutARestart() throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path input = Files.createDirectories(dir.resolve("in"));
        Path references = Files.createDirectories(dir.resolve("refs"));
        Path output = dir.resolve("out");

        Path baseline = staging.resolve("baseline.jsonl");
        Files.write(
                baseline, DriftDetectionITCase.traffic(1, DAY_1, 6, ""), StandardCharsets.UTF_8);
        Path profile = staging.resolve("baseline-hot.json");
        assertThat(
                        RecsysMonitor.commandLine()
                                .execute(
                                        "reference",
                                        "build",
                                        "--input",
                                        baseline.toString(),
                                        "--output",
                                        profile.toString(),
                                        "--reference-version",
                                        "baseline-hot"))
                .isZero();

        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "source.type", "file",
                                "source.input", input.toString(),
                                "source.follow", "true",
                                "source.monitor-interval", "200ms",
                                "drift.reference", references.toString(),
                                "drift.reference-monitor-interval", "200ms",
                                "job.parallelism", "1"));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        // The output files show lines when their checkpoint completes: a live run checkpoints.
        env.enableCheckpointing(200);
        MonitoringJob.build(env, new FileInput(config), LocalOutputs.fresh(output, false), config);
        JobClient job = env.executeAsync("reference-hot-swap-test");
        try {
            List<List<String>> hours = hourly(DAY_2, 12);
            int next = 0;
            // Without a reference the drift operator reports that it has none.
            for (; next < 3; next++) {
                drop(staging, input, "events-" + next + ".jsonl", hours.get(next));
            }
            assertThat(awaitReport(output, r -> DriftReport.NO_REFERENCE.equals(r.test), 60))
                    .as("no-reference reports before the reference exists")
                    .isTrue();

            Files.move(profile, references.resolve("baseline-hot.json"));
            // More traffic, an hour at a time, until a window is tested against the new profile.
            boolean swapped = false;
            for (; next < hours.size() && !swapped; next++) {
                drop(staging, input, "events-" + next + ".jsonl", hours.get(next));
                swapped = awaitReport(output, r -> "baseline-hot".equals(r.referenceVersion), 10);
            }
            assertThat(swapped).as("reports against the dropped reference").isTrue();
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
            // The same job, never restarted: the earlier reports are still in the same output.
            List<DriftReport> all = reports(output);
            assertThat(all).anyMatch(r -> DriftReport.NO_REFERENCE.equals(r.test));
            // The swap is one point in event time: every window tested against the profile ends
            // no earlier than the last window that had none.
            long lastWithout =
                    all.stream()
                            .filter(r -> DriftReport.NO_REFERENCE.equals(r.test))
                            .mapToLong(r -> r.windowEnd)
                            .max()
                            .getAsLong();
            assertThat(all)
                    .filteredOn(r -> "baseline-hot".equals(r.referenceVersion))
                    .allSatisfy(r -> assertThat(r.windowEnd).isGreaterThanOrEqualTo(lastWithout));
        } finally {
            LiveJobs.cancel(job);
        }
    }
}
