package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.text.UnicodeText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random bytes and random JSON thrown at the parser (issue 13). Whatever the input: no exception;
 * exactly one of prediction, feedback and dead letter; a dead letter has a known category and a
 * reason; an accepted event holds only well-formed text and dimension values that follow the rules;
 * the streaming reader and the tree path agree; text and bytes give the same record.
 */
class EventParserPropertiesTest {
    private static final String SOURCE = "kinesis:events";
    private static final long RECEIVED_AT = 1_767_300_000_000L;
    private static final EventLimits LIMITS = new EventLimits(4096, 20, 20, 256, 64);

    private static final Set<String> CATEGORIES =
            Arrays.stream(DeadLetter.Reason.values())
                    .map(DeadLetter.Reason::category)
                    .collect(Collectors.toSet());

    /** Writes every char above ASCII as an escape, lone surrogates too: bytes are exact. */
    private static final ObjectMapper ASCII_JSON =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final EventParser parser = new EventParser(LIMITS);
    private final EventParser tree = EventParser.treeOnly(LIMITS);

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<Character> nasty =
                Arbitraries.of(
                        '\u0000', '\u001b', '\u0007', '\n', '\t', ' ', '\u007f', '\u0085', '\u202e',
                        '\u200b', '\ufeff', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d',
                        '\ude00', '"', '\\', 'é', '\u00a0');
        Arbitrary<Character> any = Arbitraries.chars().range('\u0000', '\uffff');
        Arbitrary<Character> plain = Arbitraries.chars().range('a', 'z');
        Arbitrary<Character> mixed =
                Arbitraries.frequencyOf(Tuple.of(2, nasty), Tuple.of(1, any), Tuple.of(5, plain));
        Arbitrary<String> shortText =
                mixed.list().ofMaxSize(12).map(EventParserPropertiesTest::join);
        Arbitrary<String> longText =
                Arbitraries.integers().between(60, 300).map(n -> "v".repeat(n));
        return Arbitraries.frequencyOf(Tuple.of(8, shortText), Tuple.of(1, longText));
    }

    private static String join(List<Character> chars) {
        StringBuilder s = new StringBuilder(chars.size());
        chars.forEach(s::append);
        return s.toString();
    }

    /** A valid event with one field, one feature or one item field set to hostile text. */
    @Provide
    Arbitrary<String> hostileEvent() {
        Arbitrary<String> field =
                Arbitraries.of(
                        "event_type",
                        "request_id",
                        "event_time",
                        "user_id",
                        "user_segment",
                        "model_version",
                        "status",
                        "error_type",
                        "item_id",
                        "action",
                        "feature-name",
                        "feature-value",
                        "item-id",
                        "item-category",
                        "unknown",
                        "nested-unknown");
        return Combinators.combine(Arbitraries.of(true, false), field, hostileText(), hostileText())
                .as(EventParserPropertiesTest::event);
    }

    private static String event(boolean isPrediction, String field, String text, String status) {
        ObjectNode event =
                isPrediction
                        ? ContractEvents.prediction().put("status", "error").put("error_type", "E")
                        : ContractEvents.feedback("click");
        ObjectNode features = event.putObject("features");
        features.put("device", "ios");
        ArrayNode items = event.putArray("recommendations");
        ObjectNode item = items.addObject().put("item_id", "sku-1");
        switch (field) {
            case "feature-name":
                features.put(text, 1);
                break;
            case "feature-value":
                features.put("country", text);
                break;
            case "item-id":
                item.put("item_id", text);
                break;
            case "item-category":
                item.put("category", text);
                break;
            case "unknown":
                event.put(text, text);
                break;
            case "nested-unknown":
                event.putObject("extra")
                        .putArray("list")
                        .add(1)
                        .add(text)
                        .addObject()
                        .put(text, status);
                break;
            default:
                event.put(field, text);
        }
        try {
            return ASCII_JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid event's text with a few bytes changed, inserted or removed. */
    @Provide
    Arbitrary<byte[]> mutatedEvent() {
        Arbitrary<byte[]> base =
                Arbitraries.of(true, false)
                        .map(
                                p ->
                                        event(p, "user_segment", "new", "ok")
                                                .getBytes(StandardCharsets.UTF_8));
        Arbitrary<List<Tuple.Tuple3<Integer, Integer, Byte>>> edits =
                Combinators.combine(
                                Arbitraries.integers().between(0, 2),
                                Arbitraries.integers().between(0, 400),
                                Arbitraries.bytes())
                        .as(Tuple::of)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(4);
        return Combinators.combine(base, edits)
                .as(
                        (bytes, changes) -> {
                            byte[] b = bytes;
                            for (Tuple.Tuple3<Integer, Integer, Byte> edit : changes) {
                                int at = edit.get2() % (b.length + 1);
                                if (edit.get1() == 0 && at < b.length) {
                                    b = b.clone();
                                    b[at] = edit.get3();
                                } else if (edit.get1() == 1) {
                                    byte[] longer = new byte[b.length + 1];
                                    System.arraycopy(b, 0, longer, 0, at);
                                    longer[at] = edit.get3();
                                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                                    b = longer;
                                } else if (at < b.length) {
                                    byte[] shorter = new byte[b.length - 1];
                                    System.arraycopy(b, 0, shorter, 0, at);
                                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                                    b = shorter;
                                }
                            }
                            return b;
                        });
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void randomBytesNeverBreakTheParser(@ForAll byte[] bytes) {
        InputRecord record = checked(parser.parse(bytes, SOURCE, RECEIVED_AT));

        assertSame(tree.parse(bytes, SOURCE, RECEIVED_AT), record);
        assertSame(parser.parse(new RawLine(bytes, bytes.length), SOURCE, RECEIVED_AT), record);
    }

    @Property(tries = 1000)
    void mutatedEventsNeverBreakTheParser(@ForAll("mutatedEvent") byte[] bytes) {
        InputRecord record = checked(parser.parse(bytes, SOURCE, RECEIVED_AT));

        assertSame(tree.parse(bytes, SOURCE, RECEIVED_AT), record);
        if (UnicodeText.invalidUtf8At(bytes, 0, bytes.length) == UnicodeText.VALID) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(parser.parse(text, SOURCE, RECEIVED_AT))
                    .usingRecursiveComparison()
                    .ignoringFields("deadLetter.reason")
                    .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
                    .isEqualTo(record);
        }
    }

    @Property(tries = 2000)
    void hostileTextInAnyFieldIsAcceptedSafelyOrDeadLettered(@ForAll("hostileEvent") String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        InputRecord record = checked(parser.parse(utf8, SOURCE, RECEIVED_AT));

        assertSame(tree.parse(utf8, SOURCE, RECEIVED_AT), record);
        assertSame(parser.parse(json, SOURCE, RECEIVED_AT), record);
        assertSame(tree.parse(json, SOURCE, RECEIVED_AT), record);
    }

    /** Field by field, NaN (an absent number) equal to NaN. */
    private static void assertSame(InputRecord actual, InputRecord expected) {
        assertThat(actual)
                .usingRecursiveComparison()
                .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
                .isEqualTo(expected);
    }

    /** The invariants every parse result keeps; returns it. */
    private static InputRecord checked(InputRecord record) {
        int parts =
                (record.prediction == null ? 0 : 1)
                        + (record.feedback == null ? 0 : 1)
                        + (record.deadLetter == null ? 0 : 1);
        assertThat(parts).as("exactly one of prediction, feedback, dead letter").isEqualTo(1);
        if (record.deadLetter != null) {
            DeadLetter d = record.deadLetter;
            assertThat(d.category).isIn(CATEGORIES);
            assertThat(d.reason).isNotBlank();
            // A reason can be printed as it is.
            assertThat(UnicodeText.printable(d.reason)).isEqualTo(d.reason);
            assertThat(d.raw.length()).isLessThanOrEqualTo(LIMITS.maxRawChars() + 40);
            assertThat(d.source).isEqualTo(SOURCE);
        }
        if (record.prediction != null) {
            PredictionEvent p = record.prediction;
            assertDimension(p.modelVersion);
            assertDimension(p.userSegment);
            if (p.errorType != null) {
                assertDimension(p.errorType);
            }
            assertWellFormed(p.requestId);
            assertWellFormed(p.userId);
            for (Map.Entry<String, String> f : p.categoricalFeatures.entrySet()) {
                assertDimension(f.getKey());
                assertThat(UnicodeText.categoryProblem(f.getValue(), LIMITS.maxDimensionChars()))
                        .isNull();
            }
            p.numericFeatures.keySet().forEach(EventParserPropertiesTest::assertDimension);
            p.nullFeatures.forEach(EventParserPropertiesTest::assertDimension);
            for (RecommendedItem item : p.recommendations) {
                assertWellFormed(item.itemId);
                if (item.category != null) {
                    assertWellFormed(item.category);
                }
            }
        }
        if (record.feedback != null) {
            FeedbackEvent f = record.feedback;
            assertWellFormed(f.requestId);
            assertWellFormed(f.userId);
            assertWellFormed(f.itemId);
        }
        return record;
    }

    private static void assertDimension(String value) {
        assertThat(UnicodeText.dimensionProblem(value, LIMITS.maxDimensionChars()))
                .as("dimension value %s", UnicodeText.printable(value))
                .isNull();
    }

    private static void assertWellFormed(String value) {
        assertThat(UnicodeText.loneSurrogateAt(value)).isEqualTo(UnicodeText.VALID);
    }
}
