package io.recsys.monitor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The four JSON-lines outputs of a local run, read back: as records ({@link #alerts}, {@link
 * #metricPoints}) for a test that asserts what one run wrote, or for comparing two runs of the same
 * input. For the comparison every line must be whole JSON (a torn line fails the read), and each
 * line is reduced to a canonical text that leaves out what legitimately differs between runs (the
 * wall-clock {@code received_at} of a dead letter; floating-point sums beyond 10 significant
 * digits, whose last bits depend on the order in which parallel channels deliver).
 *
 * <p>Drift reports and drift metrics are compared whole: the drift panes keep exact values or a
 * sample that depends only on the events (issue 16), so a crashed and resumed run must write the
 * same statistics. The popularity Gini is the exception (see {@link #SKETCH_ESTIMATES}).
 */
final class RunOutputs {
    static final List<String> FILES =
            List.of(
                    LocalOutputs.METRICS_FILE,
                    LocalOutputs.ALERTS_FILE,
                    LocalOutputs.DRIFT_FILE,
                    LocalOutputs.DEAD_LETTER_FILE);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WALL_CLOCK_FIELDS = Set.of("received_at");
    private static final MathContext DIGITS = new MathContext(10);

    /**
     * Metrics estimated by a sketch whose result depends on more than its input: the popularity
     * Gini (a frequent-items sketch, whose purges depend on its hash table's layout, which a
     * checkpoint's round trip changes).
     */
    private static final List<String> SKETCH_ESTIMATES = List.of("PopularityGini");

    /** Per file, each canonical line with the number of times it occurs. */
    private final Map<String, Map<String, Integer>> lines;

    private RunOutputs(Map<String, Map<String, Integer>> lines) {
        this.lines = lines;
    }

    /**
     * The lines of {@code file} in {@code directory}, blank ones left out; none when there is no
     * such file.
     */
    static List<String> lines(Path directory, String file) throws IOException {
        Path path = directory.resolve(file);
        if (!Files.exists(path)) {
            return new ArrayList<>();
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toList());
    }

    /**
     * The lines of a file that a running job appends to, up to its last newline (a poll can come
     * while a commit is writing a line), blank ones left out; none when there is no such file.
     */
    static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String whole = text.substring(0, text.lastIndexOf('\n') + 1);
        return Arrays.stream(whole.split("\n"))
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toList());
    }

    /** The alerts in {@code directory}, in the order they were written. */
    static List<Alert> alerts(Path directory) throws IOException {
        return lines(directory, LocalOutputs.ALERTS_FILE).stream()
                .map(AlertJson::decode)
                .collect(Collectors.toList());
    }

    /** The metric points in {@code directory}, in the order they were written. */
    static List<MetricPoint> metricPoints(Path directory) throws IOException {
        return lines(directory, LocalOutputs.METRICS_FILE).stream()
                .map(MetricPointJson::decode)
                .collect(Collectors.toList());
    }

    /** Reads the outputs in {@code directory}; fails on a torn or invalid line. */
    static RunOutputs read(Path directory) throws IOException {
        return read(directory, Long.MAX_VALUE);
    }

    /**
     * Reads the outputs in {@code directory} of event times up to {@code cut}: metric points and
     * drift reports of windows ending then or before, alerts of periods ending then or before, and
     * every dead letter; fails on a torn or invalid line.
     */
    static RunOutputs read(Path directory, long cut) throws IOException {
        Map<String, Map<String, Integer>> lines = new LinkedHashMap<>();
        for (String name : FILES) {
            Path file = directory.resolve(name);
            Map<String, Integer> counts = new TreeMap<>();
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (!text.isEmpty() && !text.endsWith("\n")) {
                    throw new AssertionError(name + " ends with a torn line: " + tail(text));
                }
                int number = 0;
                for (String line : text.split("\n", -1)) {
                    number++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = JSON.readTree(line);
                    } catch (IOException e) {
                        throw new AssertionError(
                                name + " line " + number + " is not JSON: " + line);
                    }
                    if (time(node) <= cut) {
                        counts.merge(canonical(name, node), 1, Integer::sum);
                    }
                }
            }
            lines.put(name, counts);
        }
        return new RunOutputs(lines);
    }

    /**
     * The event time a line is of: the end of a metric point's or drift report's window, an alert's
     * time; the earliest time for a dead letter.
     */
    private static long time(JsonNode node) {
        for (String field : new String[] {"window_end", "time"}) {
            if (node.hasNonNull(field)) {
                return Instant.parse(node.get(field).asText()).toEpochMilli();
            }
        }
        return Long.MIN_VALUE;
    }

    /** The latest window end of the metric points in {@code directory}; MIN_VALUE without any. */
    static long latestWindowEnd(Path directory) throws IOException {
        Path file = directory.resolve(LocalOutputs.METRICS_FILE);
        long latest = Long.MIN_VALUE;
        if (!Files.exists(file)) {
            return latest;
        }
        for (String line : completeLines(file)) {
            latest = Math.max(latest, time(JSON.readTree(line)));
        }
        return latest;
    }

    /**
     * The latest {@code event_time} of the events in a JSON-lines input file, but for the latest
     * thousandth: a malformed-events scenario dates a few lines years ahead.
     */
    static long latestEventTime(Path events) throws IOException {
        List<Long> times = new ArrayList<>();
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            try {
                JsonNode time = JSON.readTree(line).get("event_time");
                if (time != null && time.isTextual()) {
                    times.add(OffsetDateTime.parse(time.asText()).toInstant().toEpochMilli());
                } else if (time != null && time.canConvertToLong()) {
                    times.add(time.asLong());
                }
            } catch (IOException | RuntimeException e) {
                // A malformed line of the scenario has no event time.
            }
        }
        Collections.sort(times);
        return times.get(times.size() - 1 - times.size() / 1000);
    }

    /** The number of lines of {@code file}. */
    int count(String file) {
        return lines.get(file).values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * What differs from {@code expected}, file by file: lines missing here or extra here with their
     * counts (at most a few per file); empty when both runs wrote the same lines.
     */
    List<String> differencesFrom(RunOutputs expected) {
        List<String> differences = new ArrayList<>();
        for (String name : FILES) {
            Map<String, Integer> mine = lines.get(name);
            Map<String, Integer> theirs = expected.lines.get(name);
            Set<String> keys = new TreeSet<>(mine.keySet());
            keys.addAll(theirs.keySet());
            int shown = 0;
            int different = 0;
            for (String key : keys) {
                int here = mine.getOrDefault(key, 0);
                int there = theirs.getOrDefault(key, 0);
                if (here != there) {
                    different++;
                    if (shown++ < 5) {
                        differences.add(
                                name + ": " + here + " times here, " + there + " expected: " + key);
                    }
                }
            }
            if (different > shown) {
                differences.add(name + ": and " + (different - shown) + " more differences");
            }
        }
        return differences;
    }

    private static String canonical(String file, JsonNode node) {
        JsonNode normalized = normalize(node);
        if (file.equals(LocalOutputs.METRICS_FILE)
                && SKETCH_ESTIMATES.stream()
                        .anyMatch(normalized.path("metric").asText()::startsWith)) {
            ((ObjectNode) normalized).remove("value");
        }
        return normalized.toString();
    }

    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JSON.createObjectNode();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!WALL_CLOCK_FIELDS.contains(field.getKey())) {
                    fields.put(field.getKey(), normalize(field.getValue()));
                }
            }
            fields.forEach(sorted::set);
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            node.forEach(element -> array.add(normalize(element)));
            return array;
        }
        if (node.isFloatingPointNumber()) {
            return JSON.getNodeFactory()
                    .numberNode(new BigDecimal(node.asText()).round(DIGITS).stripTrailingZeros());
        }
        return node;
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 200));
    }
}
