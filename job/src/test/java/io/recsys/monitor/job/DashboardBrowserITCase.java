package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: a replay with a CTR drop and feature drift against a reference
 * writes report.html, which headless Chromium opens from the file (offline: nothing else is
 * loaded); the page must draw the KPI series, the alarm's bands, every alert and every drift cell
 * of the run's files. Then a live run serves the page on the loopback address, and the page draws
 * the records the run commits. Screenshots of both stay under target/ for people to look at.
 */
class DashboardBrowserITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DASHBOARD_URL =
            Pattern.compile("dashboard on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir Path dir;

    @Test
    void theReportOfAReplayDrawsItsKpisAlertsAndDrift() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir);
        Path baseline = dir.resolve("baseline.jsonl");
        Path reference = dir.resolve("reference.json");
        Path events = dir.resolve("events.jsonl");
        Path out = dir.resolve("replay-out");
        // A quarter of the default request rate: five hours of event time in 40,000 events.
        String slow = "generator.requests-per-second=0.25";
        succeed(
                "generate",
                "--output",
                baseline.toString(),
                "--events",
                "40000",
                "--seed",
                "11",
                "--set",
                slow);
        succeed(
                "reference",
                "build",
                "--input",
                baseline.toString(),
                "--output",
                reference.toString());
        succeed(
                "generate",
                "--output",
                events.toString(),
                "--events",
                "40000",
                "--set",
                slow,
                "--scenario",
                "ctr-drop@2026-01-01T01:00:00Z",
                "--scenario",
                "feature-drift@2026-01-01T02:00:00Z");

        ConsoleRun replay =
                succeed(
                        "run",
                        "--input",
                        events.toString(),
                        "--output",
                        out.toString(),
                        "--reference",
                        reference.toString());

        Path report = out.resolve("report.html");
        assertThat(replay.printed())
                .contains("Replay finished in")
                .contains("; report in " + report);
        assertThat(Files.size(report)).isLessThan(5L << 20);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        // Self-contained: no script, style or image is loaded from anywhere.
        assertThat(html).doesNotContain("<script src=").doesNotContain("<link");

        JsonNode drawn = chromium.drawn(report.toUri().toString());
        chromium.screenshot(
                report.toUri().toString(), Paths.get("target", "dashboard-report.png"), 3400);

        List<JsonNode> metrics = lines(out.resolve("metrics.jsonl"));
        List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
        List<JsonNode> drift = lines(out.resolve("drift.jsonl"));
        long keptPoints = metrics.stream().filter(m -> m.path("dimensions").size() <= 1).count();
        assertThat(drawn.path("records").asLong())
                .isEqualTo(keptPoints + alerts.size() + driftCells(drift, null));

        // CTR overall and per model version, every window of the file.
        JsonNode ctr = drawn.at("/charts/chart-CTR");
        assertThat(ctr.path("series").size()).isEqualTo(3);
        for (String series : List.of("all", "v1", "v2")) {
            assertThat(ctr.at("/series/" + series).asLong())
                    .as("CTR points of " + series)
                    .isEqualTo(seriesPoints(metrics, "CTR", series))
                    .isGreaterThanOrEqualTo(4);
        }
        // The bands of the low-CTR alarm, from the definitions the alarm engine uses.
        AlarmDefinition lowCtr = AlarmCatalog.defaults().alarm("recommendation-low-ctr");
        assertThat(ctr.path("bands").toString())
                .contains("[\"critical\",0," + number(lowCtr.criticalThreshold()) + "]")
                .contains(
                        "[\"warning\","
                                + number(lowCtr.criticalThreshold())
                                + ","
                                + number(lowCtr.warningThreshold())
                                + "]");
        long ctrAlerts =
                alerts.stream().filter(a -> a.path("metric").asText().equals("CTR")).count();
        assertThat(ctrAlerts).as("the CTR drop raises the low-CTR alarm").isGreaterThanOrEqualTo(3);
        assertThat(ctr.path("alerts").asLong()).isEqualTo(ctrAlerts);

        // Latency per minute, every minute of the run.
        JsonNode latency = drawn.at("/charts/chart-Latency/series");
        for (String p : List.of("LatencyP50", "LatencyP95", "LatencyP99")) {
            assertThat(latency.path(p).asLong())
                    .isEqualTo(seriesPoints(metrics, p, "all"))
                    .isGreaterThan(200);
        }

        // Every alert on the timeline.
        assertThat(drawn.at("/alerts/count").asLong()).isEqualTo(alerts.size());
        assertThat(drawn.at("/alerts/events/raised").asLong()).isGreaterThanOrEqualTo(3);

        // Every drift report of each model version is a cell, the drifted ones marked.
        for (String version : List.of("v1", "v2")) {
            JsonNode cells = drawn.at("/drift/" + version);
            assertThat(cells.path("cells").asLong())
                    .isEqualTo(driftCells(drift, version))
                    .isGreaterThan(100);
            long drifted =
                    drift.stream()
                            .filter(r -> r.path("model_version").asText().equals(version))
                            .filter(r -> !r.path("test").asText().equals("no-reference"))
                            .filter(r -> r.path("drifted").asBoolean())
                            .count();
            assertThat(drifted).as("feature-drift is flagged for " + version).isPositive();
            assertThat(cells.path("drifted").asLong()).isEqualTo(drifted);
        }
    }

    @Test
    void theLiveDashboardDrawsWhatTheRunCommits() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir);
        Path out = dir.resolve("live-out");
        MonitorProcess run =
                MonitorProcess.start(
                        dir.resolve("console.txt"),
                        List.of(
                                "run",
                                "--output",
                                out.toString(),
                                "--set",
                                "job.web-ui-port=0",
                                "--set",
                                "job.checkpoint-interval=2s"));
        try {
            String url = awaitDashboardUrl(run);
            // Lines reach the files at each checkpoint; the page shows what they hold.
            long records = awaitRecords(run, url);
            JsonNode drawn = chromium.drawn(url + "/");
            assertThat(drawn.path("records").asLong()).isGreaterThanOrEqualTo(records);
            assertThat(drawn.at("/charts/chart-Latency/series/LatencyP99").asLong()).isPositive();
            assertThat(drawn.at("/charts/chart-RequestsPerSecond/series/all").asLong())
                    .isPositive();
            chromium.screenshot(url + "/", Paths.get("target", "dashboard-live.png"), 1600);
        } finally {
            run.killHard();
        }
    }

    private static String awaitDashboardUrl(MonitorProcess run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = DASHBOARD_URL.matcher(run.console());
            if (m.find()) {
                return m.group(1);
            }
            if (!run.runsAfter(Duration.ofMillis(200))) {
                throw new AssertionError("the run ended:\n" + run.console());
            }
        }
        throw new AssertionError("no dashboard in the banner:\n" + run.console());
    }

    /** Polls the data as the page does until the run has committed records. */
    private static long awaitRecords(MonitorProcess run, String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            HttpURLConnection c = (HttpURLConnection) new URL(url + "/data.json").openConnection();
            try (InputStream in = c.getInputStream()) {
                JsonNode data = JSON.readTree(in);
                if (data.path("records").asLong() > 0 && data.path("metrics").has("LatencyP99")) {
                    return data.path("records").asLong();
                }
            }
            if (!run.runsAfter(Duration.ofMillis(500))) {
                throw new AssertionError("the run ended:\n" + run.console());
            }
        }
        throw new AssertionError("no committed records within 3 minutes:\n" + run.console());
    }

    private static ConsoleRun succeed(String... args) {
        ConsoleRun run = ConsoleRun.execute(args);
        assertThat(run.exit()).as(String.join(" ", args) + ": " + run.errors()).isZero();
        return run;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** Distinct windows of {@code metric} in the series the page draws for {@code label}. */
    private static long seriesPoints(List<JsonNode> metrics, String metric, String label) {
        Set<String> windows = new HashSet<>();
        for (JsonNode m : metrics) {
            JsonNode dims = m.path("dimensions");
            String l =
                    dims.size() == 0
                            ? "all"
                            : dims.size() == 1 ? dims.elements().next().asText() : null;
            if (m.path("metric").asText().equals(metric) && label.equals(l)) {
                windows.add(m.path("timestamp").asText());
            }
        }
        return windows.size();
    }

    private static long driftCells(List<JsonNode> drift, String version) {
        return drift.stream()
                .filter(r -> version == null || r.path("model_version").asText().equals(version))
                .filter(r -> !r.path("test").asText().equals("no-reference"))
                .count();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
