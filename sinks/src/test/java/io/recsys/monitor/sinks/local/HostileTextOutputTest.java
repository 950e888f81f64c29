package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.json.DeadLetterJson;
import io.recsys.monitor.sinks.json.DriftReportJson;
import io.recsys.monitor.sinks.json.MetricPointJson;
import io.recsys.monitor.sinks.sns.AlertMessageConverter;
import io.recsys.monitor.text.UnicodeText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any string, well-formed or not, reaches every output: the JSON line encoders, the JSON lines file
 * writer and the console. Reproduces issue 13, where a dead letter quoting a lone surrogate made
 * the dead-letter writer throw MalformedInputException and the job restart for ever, and an alert
 * line holding ANSI escapes cleared the terminal.
 */
class HostileTextOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Any UTF-16 text, biased towards what breaks encoders and terminals. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<Character> nasty =
                Arbitraries.of(
                        '\u0000', '\u001b', '\u0007', '\n', '\r', '\u007f', '\u0085', '\u202e',
                        '\u200b', '\ufeff', '\ud800', '\udbff', '\udc00', '\udfff', '"', '\\',
                        '\u2028', 'é', '€');
        Arbitrary<Character> any = Arbitraries.chars().range('\u0000', '\uffff');
        Arbitrary<Character> ascii = Arbitraries.chars().range(' ', '~');
        Arbitrary<Character> mixed =
                Arbitraries.frequencyOf(Tuple.of(3, nasty), Tuple.of(3, any), Tuple.of(4, ascii));
        return mixed.list().ofMaxSize(300).map(HostileTextOutputTest::join);
    }

    private static String join(List<Character> chars) {
        StringBuilder s = new StringBuilder(chars.size());
        chars.forEach(s::append);
        return s.toString();
    }

    private static DeadLetter deadLetter(String text) {
        DeadLetter d = new DeadLetter(DeadLetter.Reason.INVALID_VALUE, text, text, text, 0L);
        d.rawBase64 = "AAE=";
        return d;
    }

    /** A written line must be one line of valid UTF-8 JSON whose strings read back exactly. */
    private static JsonNode oneLine(String line) throws Exception {
        assertThat(line).doesNotContain("\n", "\r");
        // Every surrogate is escaped, so the line is well-formed and encodes to UTF-8 losslessly.
        assertThat(UnicodeText.loneSurrogateAt(line)).isEqualTo(UnicodeText.VALID);
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        assertThat(UnicodeText.invalidUtf8At(utf8, 0, utf8.length)).isEqualTo(UnicodeText.VALID);
        for (int i = 0; i < line.length(); i++) {
            assertThat(UnicodeText.isControlOrFormat(line.charAt(i)))
                    .as("unescaped U+%04X at %d", (int) line.charAt(i), i)
                    .isFalse();
        }
        return JSON.readTree(utf8);
    }

    @Property(tries = 300)
    void aDeadLetterWithAnyTextRoundTripsThroughItsJsonLine(@ForAll("hostile") String text)
            throws Exception {
        String line = new DeadLetterJson().encode(deadLetter(text));

        JsonNode node = oneLine(line);
        assertThat(node.get("reason").textValue()).isEqualTo(text);
        assertThat(node.get("raw").textValue()).isEqualTo(text);
        assertThat(DeadLetterJson.decode(line)).isEqualTo(deadLetter(text));
    }

    @Property(tries = 200)
    void metricPointsAlertsAndDriftReportsCarryAnyText(@ForAll("hostile") String text)
            throws Exception {
        MetricPoint point = new MetricPoint();
        point.namespace = "RecommendationSystem";
        point.metric = text;
        point.dimensions = new TreeMap<>();
        point.dimensions.put("ModelVersion", text);
        point.dimensions.put(text, "v1");
        point.value = 1.0;
        point.unit = "Count";
        JsonNode metric = oneLine(new MetricPointJson().encode(point));
        assertThat(metric.get("dimensions").get("ModelVersion").textValue()).isEqualTo(text);
        assertThat(metric.get("dimensions").get(text).textValue()).isEqualTo("v1");

        Alert alert = alert(text);
        JsonNode alertNode = oneLine(new AlertJson().encode(alert));
        assertThat(alertNode.get("reason").textValue()).isEqualTo(text);

        io.recsys.monitor.model.DriftReport report = new io.recsys.monitor.model.DriftReport();
        report.modelVersion = text;
        report.feature = text;
        report.test = "ks";
        JsonNode drift = oneLine(new DriftReportJson().encode(report));
        assertThat(drift.get("feature").textValue()).isEqualTo(text);
    }

    @Property(tries = 200)
    void anAlertLineOnTheConsoleHoldsNoControlOrFormatCharacter(@ForAll("hostile") String text) {
        String line = AlertLine.format(alert(text));

        assertThat(UnicodeText.loneSurrogateAt(line)).isEqualTo(UnicodeText.VALID);
        line.codePoints()
                .forEach(
                        cp ->
                                assertThat(UnicodeText.isControlOrFormat(cp))
                                        .as("U+%04X", cp)
                                        .isFalse());
    }

    @Property(tries = 100)
    void theSnsMessageOfAnAlertWithAnyTextIsValid(@ForAll("hostile") String text) throws Exception {
        var message =
                new AlertMessageConverter(
                                new io.recsys.monitor.sinks.sns.AlertRouting(
                                        "arn:aws:sns:eu-west-1:123456789012:critical",
                                        "arn:aws:sns:eu-west-1:123456789012:warning",
                                        "arn:aws:sns:eu-west-1:123456789012:models"))
                        .apply(alert(text), null);

        assertThat(AlertJson.decode(message.message).reason).isEqualTo(text);
        oneLine(message.message);
        for (String value : message.messageAttributes.values()) {
            assertThat(UnicodeText.loneSurrogateAt(value)).isEqualTo(UnicodeText.VALID);
        }
    }

    @Example
    void theDeadLetterFileTakesALoneSurrogateAndTheNextRecord() throws Exception {
        Path dir = Files.createTempDirectory("dead-letters");
        Path file = dir.resolve("dead-letter.jsonl");
        DeadLetter hostile = deadLetter("{\"action\":\"\udc00\"}");
        DeadLetter next = deadLetter("next");
        try (StagedRun<DeadLetter> run =
                new StagedRun<>(
                        JsonLinesFileSink.forPath(file, new DeadLetterJson()),
                        OptionalLong.empty())) {
            run.write(hostile, next).checkpoint(1);
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\\udc00");
        assertThat(DeadLetterJson.decode(lines.get(0))).isEqualTo(hostile);
        assertThat(DeadLetterJson.decode(lines.get(1))).isEqualTo(next);
    }

    @Example
    void anAlertFromHostileConfigurationCannotDriveTheTerminal() {
        Alert alert = alert("\u001b]0;pwned\u0007\u001b[2J\u202Edesrever");
        alert.alarmName = "low-ctr\u001b[31m";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleAlertPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .committed(new AlertJson().encode(alert));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\u001b", "\u0007", "\u202E");
        assertThat(printed)
                .contains("low-ctr\\u001b[31m", "\\u001b]0;pwned\\u0007\\u001b[2J\\u202edesrever");
    }

    private static Alert alert(String text) {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "critical";
        alert.state = "ALARM";
        alert.previousState = "OK";
        alert.metric = "CTR";
        alert.dimensions.put("ModelVersion", text);
        alert.value = 1.5;
        alert.threshold = 2.0;
        alert.time = 1_767_225_600_000L;
        alert.reason = text;
        alert.deduplicationKey = "k";
        return alert;
    }
}
