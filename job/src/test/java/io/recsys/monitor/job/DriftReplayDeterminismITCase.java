package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.sinks.json.DriftReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same file replayed twice on two parallel channels writes the same {@code drift.jsonl}, byte
 * for byte. The exact-value cap is set near a pane's traffic (about 150 predictions per model
 * version and 5-minute pane), so that some panes keep every value and others are sampled, and both
 * paths of the drift operator, and the windows that merge them, are held to it.
 */
class DriftReplayDeterminismITCase {
    static final long HOUR = 3_600_000L;
    static final long DAY_1 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long DAY_2 = DAY_1 + 24 * HOUR;

    /** About one pane's predictions per model version at the generator's 1 request/s. */
    static final int EXACT_VALUES = 150;

    @RegisterExtension static final MiniClusterExtension CLUSTER = LocalReplay.miniCluster();

    @TempDir Path dir;

    @Test
    void replayingTheSameFileTwiceWritesTheSameDriftReports() throws Exception {
        List<String> baseline =
                DriftDetectionITCase.traffic(1, DAY_1, 2, "").stream().collect(Collectors.toList());
        Path baselineFile = dir.resolve("baseline.jsonl");
        Files.write(baselineFile, baseline, StandardCharsets.UTF_8);
        Path reference = dir.resolve("references").resolve("baseline.json");
        int exit =
                RecsysMonitor.commandLine()
                        .execute(
                                "reference",
                                "build",
                                "--input",
                                baselineFile.toString(),
                                "--output",
                                reference.toString(),
                                "--reference-version",
                                "baseline");
        assertThat(exit).isZero();
        // Drift from the second hour, so that reports differ in every field that can differ.
        List<String> lines =
                DriftDetectionITCase.traffic(
                        2, DAY_2, 3, "feature-drift@" + Instant.ofEpochMilli(DAY_2 + HOUR));

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("drift.reference", reference.getParent().toString());
        settings.put("drift.exact-values", Integer.toString(EXACT_VALUES));
        // A bounded input: the reference directory is read once, not watched.
        settings.put("generator.max-events", "1");
        MonitorConfig config = MonitorConfig.defaults().with(settings);

        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        LocalReplay.run("drift-replay-1", lines, config, first);
        LocalReplay.run("drift-replay-2", lines, config, second);

        byte[] a = Files.readAllBytes(first.resolve(LocalOutputs.DRIFT_FILE));
        byte[] b = Files.readAllBytes(second.resolve(LocalOutputs.DRIFT_FILE));
        List<DriftReport> reports =
                Files.readAllLines(first.resolve(LocalOutputs.DRIFT_FILE)).stream()
                        .map(DriftReportJson::decode)
                        .collect(Collectors.toList());
        List<DriftReport> ks =
                reports.stream()
                        .filter(r -> DriftReport.KS.equals(r.test))
                        .collect(Collectors.toList());
        double referenceError = ks.stream().mapToDouble(r -> r.errorBound).min().orElse(Double.NaN);
        long sampled = ks.stream().filter(r -> r.errorBound > referenceError).count();
        System.out.printf(
                "drift.jsonl: %d bytes, %d reports, %d KS of which %d sampled%n",
                a.length, reports.size(), ks.size(), sampled);
        // Windows of one pane under the cap are exact (only the reference's error); full ones
        // merge sampled panes and carry the sample's bound as well.
        assertThat(ks).isNotEmpty();
        assertThat(sampled).isGreaterThan(0).isLessThan(ks.size());
        assertThat(reports.stream().anyMatch(r -> r.drifted)).isTrue();
        // Line by line first, so that a difference is shown as the reports that differ.
        assertThat(Files.readAllLines(second.resolve(LocalOutputs.DRIFT_FILE)))
                .containsExactlyElementsOf(
                        Files.readAllLines(first.resolve(LocalOutputs.DRIFT_FILE)));
        assertThat(a).isEqualTo(b);
    }
}
