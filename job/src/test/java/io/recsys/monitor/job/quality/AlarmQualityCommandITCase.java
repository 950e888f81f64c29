package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.job.ConsoleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alarm-quality} as a user runs it, with tiny figures: 72 minutes of clean traffic at 1
 * request/s, an hour at 20 requests/s, and the error-burst scenario at 5 requests/s, each through
 * the whole job on a local mini-cluster; the table printed and written as JSON. What must hold
 * whatever the alarm engine decides: every generated line is read, the counts add up, the rates
 * follow from the counts, and an error burst of 60 failures a minute is detected by the error
 * alarms within its hour.
 */
class AlarmQualityCommandITCase {
    @TempDir Path dir;

    @Test
    void alarmQualityScoresCleanTrafficAndAScenarioAndWritesTheTable() throws Exception {
        Path output = dir.resolve("quality/alarm-quality.json");
        ConsoleRun command =
                ConsoleRun.execute(
                        "alarm-quality",
                        "--days",
                        "0.05",
                        "--rate",
                        "20",
                        "--seeds",
                        "1",
                        "--scenarios",
                        "error-burst",
                        "--scenario-rate",
                        "5",
                        "--output",
                        output.toString(),
                        // The request counts below are the configured rates times the spans.
                        "--set",
                        "generator.traffic-cycles=flat");
        String printed = command.printed();
        assertThat(command.exit()).as(command.errors()).isZero();
        assertThat(printed)
                .contains("Clean traffic")
                .contains("0.05 d at 1/s")
                .contains("1 h at 20/s")
                .contains("error-burst at 5 req/s")
                .contains("Table written to " + output.toAbsolutePath());

        JsonNode json = new ObjectMapper().readTree(output.toFile());
        JsonNode clean = json.get("clean");
        assertThat(clean).hasSize(2);
        for (JsonNode run : clean) {
            assertThat(run.get("events").asLong()).isPositive();
            assertThat(run.get("events_read").asLong()).isEqualTo(run.get("events").asLong());
            assertThat(run.get("requests").asLong() + run.get("feedback").asLong())
                    .isEqualTo(run.get("events").asLong());
            // Feedback of the last requests that trails the stream by more than
            // events.max-future-skew is rejected at the end of the replay: dead letters too.
            assertThat(run.get("dead_letters").asLong())
                    .isGreaterThanOrEqualTo(run.get("malformed").asLong());
            assertThat(run.get("start").asText()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(run.get("alert_list")).hasSize(run.get("alerts").asInt());
            assertThat(run.get("alerts_per_day").asDouble())
                    .isCloseTo(run.get("alerts").asInt() / run.get("days").asDouble(), within());
            int byAlarm = 0;
            for (JsonNode alarm : run.get("by_alarm")) {
                byAlarm += alarm.get("alerts").asInt();
            }
            assertThat(byAlarm).isEqualTo(run.get("alerts").asInt());
            assertThat(run.get("run_seconds").asDouble()).isPositive();
        }
        JsonNode slow = clean.get(0);
        assertThat(slow.get("seed").asLong()).isEqualTo(42);
        assertThat(slow.get("requests_per_second").asDouble()).isEqualTo(1.0);
        assertThat(slow.get("days").asDouble()).isEqualTo(0.05);
        assertThat(slow.get("end").asText()).isEqualTo("2026-01-01T01:12:00Z");
        // 72 minutes at 1 request/s: 4,320 requests expected, Poisson arrivals.
        assertThat(slow.get("requests").asLong()).isBetween(4_000L, 4_650L);
        JsonNode fast = clean.get(1);
        assertThat(fast.get("requests_per_second").asDouble()).isEqualTo(20.0);
        assertThat(fast.get("end").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(fast.get("requests").asLong()).isBetween(70_000L, 74_000L);

        JsonNode scenarios = json.get("scenarios");
        assertThat(scenarios).hasSize(1);
        JsonNode burst = scenarios.get(0);
        assertThat(burst.get("scenario").asText()).isEqualTo("error-burst");
        assertThat(burst.get("requests_per_second").asDouble()).isEqualTo(5.0);
        assertThat(burst.get("problem_start").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(burst.get("problem_end").asText()).isEqualTo("2026-01-01T02:00:00Z");
        assertThat(burst.get("events_read").asLong()).isEqualTo(burst.get("events").asLong());
        assertThat(burst.get("expected_kinds"))
                .extracting(JsonNode::asText)
                .containsExactly("high-error-rate", "high-latency", "service-outage");
        assertThat(burst.get("detected").asBoolean()).isTrue();
        assertThat(burst.get("first_delay_seconds").asDouble()).isBetween(0.0, 3600.0);
        boolean errorsDetected = false;
        for (JsonNode series : burst.get("series")) {
            assertThat(series.get("detected").asBoolean()).isTrue();
            assertThat(series.get("incidents").asInt()).isPositive();
            int notifications = 0;
            for (JsonNode n : series.get("notifications")) {
                notifications += n.asInt();
            }
            assertThat(series.get("notifications_per_incident").asDouble())
                    .isCloseTo((double) notifications / series.get("incidents").asInt(), within());
            if (series.get("kind").asText().equals("high-error-rate")) {
                errorsDetected = true;
                assertThat(series.get("delay_seconds").asDouble()).isBetween(0.0, 3600.0);
            }
        }
        assertThat(errorsDetected).as("an error alarm detected the burst").isTrue();
        assertThat(burst.get("false_alert_list")).hasSize(burst.get("false_alerts").asInt());
        assertThat(burst.has("silent_alarms")).isTrue();
        assertThat(burst.has("after_end_list")).isTrue();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
