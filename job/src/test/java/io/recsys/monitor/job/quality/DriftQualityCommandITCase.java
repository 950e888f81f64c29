package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.job.ConsoleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift-quality} as a user runs it, with tiny figures: 72 minutes of clean traffic at 1
 * request/s, and top scores shifted by -2 standard deviations after an hour of clean traffic, each
 * through the whole job on a local mini-cluster; the table printed and written as JSON. What must
 * hold whatever the decision rule: the counts add up, and a shift that large is flagged within the
 * hour by the guide's rule on the scores' test, by the job's flag on it, and so (the predictions
 * count at model level) by the model-level flag no later.
 */
class DriftQualityCommandITCase {
    @TempDir Path dir;

    @Test
    void driftQualityScoresCleanTrafficAndAShiftAndWritesTheTable() throws Exception {
        Path output = dir.resolve("quality/drift-quality.json");
        ConsoleRun command =
                ConsoleRun.execute(
                        "drift-quality",
                        "--clean-days",
                        "0.05",
                        "--seeds",
                        "1",
                        "--shifts",
                        "shift:score=-2sd",
                        "--shift-minutes",
                        "60",
                        "--fast-rate",
                        "0",
                        "--output",
                        output.toString());
        String printed = command.printed();
        assertThat(command.exit()).as(command.errors()).isZero();
        assertThat(printed)
                .contains("Clean traffic: drifted flags per day")
                .contains("Detection delay")
                .contains("shift:score=-2sd")
                .contains("Table written to " + output.toAbsolutePath());

        JsonNode json = new ObjectMapper().readTree(output.toFile());
        assertThat(json.get("clean")).hasSize(1);
        JsonNode clean = json.get("clean").get(0);
        assertThat(clean.get("seed").asLong()).isEqualTo(42);
        assertThat(clean.get("days").asDouble()).isEqualTo(0.05);
        // 72 minutes at 1 request/s: 4,320 requests expected, Poisson arrivals.
        assertThat(clean.get("requests").asLong()).isBetween(4_000L, 4_650L);
        // Two model versions, one window per 5 minutes that ends by the end of the traffic.
        assertThat(clean.get("windows").asLong()).isEqualTo(2 * 72 / 5);
        assertThat(clean.get("job_model_flags").asLong())
                .isBetween(0L, clean.get("windows").asLong());
        assertThat(clean.get("job_model_flags_per_day").asDouble())
                .isEqualTo(clean.get("job_model_flags").asLong() / 0.05);
        assertThat(clean.get("guide_test_flags").asLong())
                .isBetween(0L, clean.get("tests").asLong());
        assertThat(clean.get("tests").asLong()).isPositive();

        assertThat(json.get("shifts")).hasSize(1);
        JsonNode shift = json.get("shifts").get(0);
        assertThat(shift.get("shift").asText()).isEqualTo("shift:score=-2sd");
        assertThat(shift.get("shift_start").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(shift.get("shift_minutes").asDouble()).isEqualTo(60.0);
        for (String version : new String[] {"v1", "v2"}) {
            double guide = shift.get("guide_test_delay_minutes").get(version).asDouble();
            double job = shift.get("job_test_delay_minutes").get(version).asDouble();
            JsonNode model = shift.get("job_model_delay_minutes").get(version);
            assertThat(guide).isBetween(5.0, 60.0);
            assertThat(job).isBetween(5.0, 60.0);
            assertThat(model.isNumber()).as("model-level flag of " + version).isTrue();
            assertThat(model.asDouble()).isBetween(5.0, job);
        }
    }
}
