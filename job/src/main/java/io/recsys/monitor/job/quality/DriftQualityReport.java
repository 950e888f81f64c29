package io.recsys.monitor.job.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift-quality table: false model-level flags per day on clean traffic and detection delays of
 * injected shifts, under the job's rule and the guide's side by side; as text for the console and
 * the README and as JSON for tools. Delays are per model version, in minutes from the shift's start
 * to the end of the first window that flags it, "-" when none does within the run.
 */
public final class DriftQualityReport {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double DAY_MILLIS = 86_400_000.0;

    private final List<CleanRun> clean = new ArrayList<>();
    private final List<ShiftRun> shifts = new ArrayList<>();

    /** One replay of clean traffic. */
    public static final class CleanRun {
        final long seed;
        final double rate;
        final long spanMillis;
        final long requests;
        final DriftScoring.CleanScore score;
        final long wallNanos;

        public CleanRun(
                long seed,
                double rate,
                long spanMillis,
                long requests,
                DriftScoring.CleanScore score,
                long wallNanos) {
            this.seed = seed;
            this.rate = rate;
            this.spanMillis = spanMillis;
            this.requests = requests;
            this.score = score;
            this.wallNanos = wallNanos;
        }

        double days() {
            return spanMillis / DAY_MILLIS;
        }
    }

    /** One replay with an injected shift. */
    public static final class ShiftRun {
        final String shift;
        final double rate;
        final long shiftStart;
        final long shiftMillis;
        final long requests;
        final Map<String, Long> guideTest;
        final Map<String, Long> jobTest;
        final Map<String, Long> jobModel;
        final long wallNanos;

        public ShiftRun(
                String shift,
                double rate,
                long shiftStart,
                long shiftMillis,
                long requests,
                Map<String, Long> guideTest,
                Map<String, Long> jobTest,
                Map<String, Long> jobModel,
                long wallNanos) {
            this.shift = shift;
            this.rate = rate;
            this.shiftStart = shiftStart;
            this.shiftMillis = shiftMillis;
            this.requests = requests;
            this.guideTest = guideTest;
            this.jobTest = jobTest;
            this.jobModel = jobModel;
            this.wallNanos = wallNanos;
        }
    }

    public void add(CleanRun run) {
        clean.add(run);
    }

    public void add(ShiftRun run) {
        shifts.add(run);
    }

    /** The tables as printed. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (!clean.isEmpty()) {
            sb.append(
                    "Clean traffic: drifted flags per day, per model version and 5-minute window"
                            + " (episodes: runs of flagged windows)\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-6s %-8s %6s %10s %8s | %9s %9s | %9s %9s %7s | %6s%n",
                            "seed",
                            "rate",
                            "days",
                            "requests",
                            "windows",
                            "job/day",
                            "episodes",
                            "guide/day",
                            "episodes",
                            "tests",
                            "run s"));
            for (CleanRun run : clean) {
                DriftScoring.CleanScore s = run.score;
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-6d %-8s %6s %,10d %,8d | %9.2f %9.2f | %9.1f %9.1f %6.1f%% | %6.0f%n",
                                run.seed,
                                rate(run.rate),
                                number(run.days()),
                                run.requests,
                                s.windows,
                                s.jobModelFlags / run.days(),
                                s.jobModelEpisodes / run.days(),
                                s.guideModelFlags / run.days(),
                                s.guideModelEpisodes / run.days(),
                                s.tests == 0 ? 0.0 : 100.0 * s.guideTestFlags / s.tests,
                                run.wallNanos / 1e9));
            }
            sb.append(
                    "job: the _model report's drifted flag; guide: any test with p < 0.05 (or"
                            + " scores' mean shift > 2 sd); tests: share of tests the guide"
                            + " flags\n");
        }
        if (!shifts.isEmpty()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(
                    "Detection delay, minutes from the shift's start to the end of the first"
                            + " flagging window, per model version (- : not within the run)\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-36s %-8s %7s | %-13s | %-13s | %-13s | %6s%n",
                            "shift",
                            "rate",
                            "run min",
                            "guide, test",
                            "job, test",
                            "job, model",
                            "run s"));
            for (ShiftRun run : shifts) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-36s %-8s %7d | %-13s | %-13s | %-13s | %6.0f%n",
                                run.shift,
                                rate(run.rate),
                                run.shiftMillis / 60_000,
                                delays(run.guideTest),
                                delays(run.jobTest),
                                delays(run.jobModel),
                                run.wallNanos / 1e9));
            }
            sb.append(
                    "guide, test: p < 0.05 on the shifted feature's test (scores: or mean shift"
                            + " > 2 sd); job, test: that report's drifted flag; job, model: the"
                            + " _model report's flag\n");
        }
        return sb.toString();
    }

    /** The runs as JSON. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode cleanRuns = root.putArray("clean");
        for (CleanRun run : clean) {
            DriftScoring.CleanScore s = run.score;
            ObjectNode node = cleanRuns.addObject();
            node.put("seed", run.seed);
            node.put("requests_per_second", run.rate);
            node.put("days", run.days());
            node.put("requests", run.requests);
            node.put("windows", s.windows);
            node.put("job_model_flags", s.jobModelFlags);
            node.put("job_model_flags_per_day", s.jobModelFlags / run.days());
            node.put("job_model_episodes", s.jobModelEpisodes);
            node.put("guide_model_flags", s.guideModelFlags);
            node.put("guide_model_flags_per_day", s.guideModelFlags / run.days());
            node.put("guide_model_episodes", s.guideModelEpisodes);
            node.put("tests", s.tests);
            node.put("guide_test_flags", s.guideTestFlags);
            node.put("job_test_flags", s.jobTestFlags);
            node.put("run_seconds", run.wallNanos / 1e9);
        }
        ArrayNode shiftRuns = root.putArray("shifts");
        for (ShiftRun run : shifts) {
            ObjectNode node = shiftRuns.addObject();
            node.put("shift", run.shift);
            node.put("requests_per_second", run.rate);
            node.put("shift_start", Instant.ofEpochMilli(run.shiftStart).toString());
            node.put("shift_minutes", run.shiftMillis / 60_000.0);
            node.put("requests", run.requests);
            putDelays(node.putObject("guide_test_delay_minutes"), run.guideTest);
            putDelays(node.putObject("job_test_delay_minutes"), run.jobTest);
            putDelays(node.putObject("job_model_delay_minutes"), run.jobModel);
            node.put("run_seconds", run.wallNanos / 1e9);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Minutes per model version, null when not detected. */
    private static void putDelays(ObjectNode node, Map<String, Long> delays) {
        for (Map.Entry<String, Long> e : delays.entrySet()) {
            if (e.getValue() < 0) {
                node.putNull(e.getKey());
            } else {
                node.put(e.getKey(), e.getValue() / 60_000.0);
            }
        }
    }

    private static String delays(Map<String, Long> delays) {
        if (delays.isEmpty()) {
            return "no reports";
        }
        List<String> parts = new ArrayList<>();
        for (long d : delays.values()) {
            parts.add(d < 0 ? "-" : number(d / 60_000.0));
        }
        return String.join(" / ", parts);
    }

    private static String rate(double rate) {
        return number(rate) + "/s";
    }

    public static String number(double v) {
        return v == Math.rint(v)
                ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%s", v);
    }
}
