package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.source.FileInput;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.ingest.SplitInput;
import io.recsys.monitor.sinks.json.DeadLetterJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files through the real file source on a mini-cluster (issue 13): a byte-order mark, a
 * lone surrogate in a dimension, bytes that are not UTF-8, a line far over the size limit, and the
 * whole hostile corpus. The job must finish, put every bad line into dead-letter.jsonl with its
 * reason, and count the good events as if the bad lines were not there.
 */
class HostileInputITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** Metrics about the bad input itself, and the one that depends on the wall clock. */
    private static final Set<String> ABOUT_BAD_INPUT =
            Set.of(
                    MetricNames.INVALID_EVENTS,
                    MetricNames.VALIDITY_VIOLATIONS,
                    MetricNames.FIELD_MISSING_RATE,
                    MetricNames.EVENT_LAG);

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir Path dir;

    private JobExecutionResult run(Path input, Path output) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("source.type", "file");
        settings.put("source.input", input.toString());
        settings.put("job.parallelism", "1");
        // The files of a directory are read in no fixed order: with event time allowed to run
        // this far ahead, no event of the second file is late, whichever file comes first.
        settings.put("watermark.out-of-orderness", "5h");
        MonitorConfig config = MonitorConfig.of(settings);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        MonitoringJob.build(env, new FileInput(config), LocalOutputs.fresh(output, false), config);
        return env.execute("hostile-input-test");
    }

    private static List<DeadLetter> deadLetters(Path output) throws IOException {
        Path file = output.resolve(LocalOutputs.DEAD_LETTER_FILE);
        List<DeadLetter> all = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                all.add(DeadLetterJson.decode(line));
            }
        }
        return all;
    }

    /** metric{dims}@timestamp -> value, leaving out the metrics about bad input. */
    private static TreeMap<String, Double> metrics(Path output) throws IOException {
        TreeMap<String, Double> points = new TreeMap<>();
        for (String line :
                Files.readAllLines(
                        output.resolve(LocalOutputs.METRICS_FILE), StandardCharsets.UTF_8)) {
            MetricPoint p = MetricPointJson.decode(line);
            if (!ABOUT_BAD_INPUT.contains(p.metric)) {
                points.put(p.seriesKey() + "@" + p.timestamp, p.value);
            }
        }
        return points;
    }

    private static byte[] lines(List<byte[]> lines, boolean finalNewline) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            out.writeBytes(lines.get(i));
            if (i < lines.size() - 1 || finalNewline) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static List<byte[]> utf8(List<String> lines) {
        List<byte[]> bytes = new ArrayList<>();
        for (String line : lines) {
            bytes.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    @Test
    void aFileWithABomASurrogateBadBytesAndAHugeLineFinishesAndLosesNothing() throws Exception {
        List<byte[]> clean = utf8(TestEvents.craftedTraffic(T0));
        Path cleanInput = Files.createDirectories(dir.resolve("clean"));
        Files.write(cleanInput.resolve("events.jsonl"), lines(clean, true));
        Path cleanOutput = dir.resolve("clean-out");
        JobExecutionResult cleanRun = run(cleanInput, cleanOutput);

        String loneSurrogate =
                TestEvents.prediction("bad-1", T0 + 60_000, "@@", "new", 3)
                        .replace("\"@@\"", "\"\\ud800v1\"");
        byte[] notUtf8 =
                TestEvents.prediction("bad-2", T0 + 60_000, "@@", "new", 3)
                        .replace("\"@@\"", "\"\u00ff\u00fev1\"")
                        .getBytes(StandardCharsets.ISO_8859_1);
        // Three times the size limit, and no newline before the next event.
        byte[] huge =
                TestEvents.prediction("bad-3", T0 + 60_000, "v1", "x".repeat(200_000), 3)
                        .getBytes(StandardCharsets.UTF_8);
        List<byte[]> hostile = new ArrayList<>(clean);
        // The first event of the file follows a byte-order mark and must still count.
        byte[] first = new byte[BOM.length + clean.get(0).length];
        System.arraycopy(BOM, 0, first, 0, BOM.length);
        System.arraycopy(clean.get(0), 0, first, BOM.length, clean.get(0).length);
        hostile.set(0, first);
        hostile.add(5, loneSurrogate.getBytes(StandardCharsets.UTF_8));
        hostile.add(50, notUtf8);
        hostile.add(120, huge);
        // Half the file gzipped: the source decompresses by extension, as it did for text.
        Path input = Files.createDirectories(dir.resolve("hostile"));
        int half = hostile.size() / 2;
        Files.write(input.resolve("a.jsonl"), lines(hostile.subList(0, half), true));
        try (OutputStream gz =
                new GZIPOutputStream(Files.newOutputStream(input.resolve("b.jsonl.gz")))) {
            // CRLF line ends, and no newline after the last line.
            gz.write(
                    new String(
                                    lines(hostile.subList(half, hostile.size()), false),
                                    StandardCharsets.ISO_8859_1)
                            .replace("\n", "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
        }
        Path output = dir.resolve("hostile-out");

        JobExecutionResult result = run(input, output);

        List<DeadLetter> dead = deadLetters(output);
        assertThat(dead).hasSize(3);
        Map<String, DeadLetter> byCategory = new HashMap<>();
        dead.forEach(d -> byCategory.put(d.category, d));
        assertThat(byCategory.get("invalid_value").reason)
                .isEqualTo(
                        "field 'model_version' must be well-formed UTF-16, got a lone surrogate"
                                + " U+D800 at index 0");
        assertThat(byCategory.get("invalid_value").raw).contains("\\ud800v1");
        DeadLetter badBytes = byCategory.get("invalid_json");
        assertThat(badBytes.reason)
                .matches("invalid JSON: byte \\d+ \\(0xff\\) is not valid UTF-8");
        assertThat(Base64.getDecoder().decode(badBytes.rawBase64)).isEqualTo(notUtf8);
        DeadLetter tooLong = byCategory.get("limit_exceeded");
        assertThat(tooLong.reason).isEqualTo("event is " + huge.length + " bytes, limit is 65536");
        assertThat(tooLong.raw).startsWith("{\"event_type\":\"prediction\"").hasSizeLessThan(4200);
        assertThat(dead).allSatisfy(d -> assertThat(d.source).isEqualTo("file:" + input));

        assertThat((Long) result.getAccumulatorResult(SplitInput.EVENTS_READ))
                .isEqualTo(hostile.size());
        assertThat((Long) result.getAccumulatorResult(SplitInput.INVALID_EVENTS)).isEqualTo(3);
        assertThat(deadLetters(cleanOutput)).isEmpty();
        assertThat((Long) cleanRun.getAccumulatorResult(SplitInput.EVENTS_READ))
                .isEqualTo(clean.size());
        // Every good event counted, the one after the BOM included, as without the bad lines.
        assertThat(metrics(cleanOutput)).isNotEmpty();
        assertThat(differences(metrics(cleanOutput), metrics(output))).isEmpty();
    }

    /** The series whose points differ between two runs, as readable lines. */
    private static List<String> differences(
            Map<String, Double> clean, Map<String, Double> hostile) {
        List<String> differences = new ArrayList<>();
        TreeMap<String, Double> all = new TreeMap<>(clean);
        all.putAll(hostile);
        for (String key : all.keySet()) {
            Double a = clean.get(key);
            Double b = hostile.get(key);
            // A window that holds only dead letters reports that it saw no events: a count of
            // the bad input itself (which window depends on when a dead letter arrives).
            boolean onlyDeadLetters =
                    a == null
                            && Double.valueOf(0.0).equals(b)
                            && (key.startsWith(MetricNames.EVENT_VOLUME + "{")
                                    || key.startsWith(MetricNames.FOLDED_DIMENSION_VALUES + "{"));
            if (!onlyDeadLetters && (a == null || !a.equals(b))) {
                differences.add(key + ": clean=" + a + ", hostile=" + b);
            }
        }
        return differences;
    }

    @Test
    void theHostileCorpusMixedIntoCleanTrafficIsDeadLetteredAndChangesNoMetric() throws Exception {
        List<byte[]> clean = utf8(TestEvents.craftedTraffic(T0));
        Path cleanInput = Files.createDirectories(dir.resolve("clean"));
        Files.write(cleanInput.resolve("events.jsonl"), lines(clean, true));
        Path cleanOutput = dir.resolve("clean-out");
        run(cleanInput, cleanOutput);

        // The lines the contract rejects, and those the parser accepts but the event-time guard
        // rejects; accepted ones would rightly change the metrics.
        List<HostileLines.Entry> bad = new ArrayList<>();
        HostileLines.Entry last = null;
        for (HostileLines.Entry entry : HostileLines.load()) {
            if (entry.atEndOfFile()) {
                last = entry;
            } else if (!entry.mayBeAccepted() || entry.rejectedForTime()) {
                bad.add(entry);
            }
        }
        List<byte[]> mixed = new ArrayList<>(clean);
        int step = clean.size() / (bad.size() + 1);
        for (int i = bad.size() - 1; i >= 0; i--) {
            mixed.add((i + 1) * step, bad.get(i).bytes);
        }
        mixed.add(last.bytes);
        Path input = Files.createDirectories(dir.resolve("hostile"));
        Files.write(input.resolve("events.jsonl"), lines(mixed, false));
        Path output = dir.resolve("hostile-out");

        JobExecutionResult result = run(input, output);

        List<DeadLetter> all = deadLetters(output);
        assertThat(all).hasSize(bad.size() + 1);
        bad.add(last);
        // The file is read in order by one reader, so dead letters come in the order of the
        // lines; those rejected for their time come when the guard gives up on them, later.
        List<DeadLetter> dead = new ArrayList<>();
        List<DeadLetter> deadForTime = new ArrayList<>();
        for (DeadLetter d : all) {
            (d.category.equals("time_out_of_range") ? deadForTime : dead).add(d);
        }
        List<HostileLines.Entry> forTime = new ArrayList<>();
        for (HostileLines.Entry entry : bad) {
            if (entry.rejectedForTime()) {
                forTime.add(entry);
            }
        }
        bad.removeAll(forTime);
        assertThat(forTime).isNotEmpty();
        assertThat(deadForTime).hasSameSizeAs(forTime);
        for (int i = 0; i < forTime.size(); i++) {
            assertThat(new String(forTime.get(i).bytes, StandardCharsets.UTF_8))
                    .contains(deadForTime.get(i).raw);
        }
        for (int i = 0; i < bad.size(); i++) {
            HostileLines.Entry entry = bad.get(i);
            DeadLetter d = dead.get(i);
            assertThat(entry.expected).as(entry.label + ": " + d.reason).contains(d.category);
            if (entry.reasonContains != null) {
                assertThat(d.reason).as(entry.label).contains(entry.reasonContains);
            }
        }
        assertThat((Long) result.getAccumulatorResult(SplitInput.EVENTS_READ))
                .isEqualTo(mixed.size());
        assertThat((Long) result.getAccumulatorResult(SplitInput.INVALID_EVENTS))
                .isEqualTo(bad.size() + forTime.size());
        assertThat(metrics(cleanOutput)).isNotEmpty();
        assertThat(differences(metrics(cleanOutput), metrics(output))).isEmpty();
    }
}
