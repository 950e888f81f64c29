package io.recsys.monitor.operators.ingest;

import static io.recsys.monitor.operators.ingest.ContractEvents.feedback;
import static io.recsys.monitor.operators.ingest.ContractEvents.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.recsys.monitor.bench.BenchEvents;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader and the tree path agree: on a corpus of valid events and of systematic
 * mutations of them, {@link EventParser} (streaming first, the tree when it gives up) gives exactly
 * what the tree path alone gives, dead letters included; and the streaming reader itself accepts
 * the valid events, so that agreement does not come from always giving up.
 */
class StreamingEventReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "kinesis:events";
    private static final long RECEIVED_AT = 1_767_300_000_000L;
    private static final String PLACEHOLDER = "@@value@@";

    /** The defaults, the bench events' counts exactly, one less, and small ones. */
    private static final EventLimits[] LIMITS = {
        EventLimits.defaults(),
        new EventLimits(65536, 10, 20, 4096),
        new EventLimits(65536, 9, 19, 4096),
        new EventLimits(1024, 1, 3, 100)
    };

    private static final EventParser[] PARSERS = new EventParser[LIMITS.length];
    private static final EventParser[] TREES = new EventParser[LIMITS.length];

    static {
        for (int i = 0; i < LIMITS.length; i++) {
            PARSERS[i] = new EventParser(LIMITS[i]);
            TREES[i] = EventParser.treeOnly(LIMITS[i]);
        }
    }

    /** JSON values, each put in place of every field in turn. */
    private static final String[] VALUES = {
        "null",
        "true",
        "false",
        "\"\"",
        "\"x\"",
        "\"ok\"",
        "\"error\"",
        "\"prediction\"",
        "\"feedback\"",
        "\"click\"",
        "\"purchase\"",
        "\"add_to_cart\"",
        "\"Click\"",
        "\"Zürich \\u00e9 \\ud83d\\ude00 😀 \\n\\t\\\"\"",
        "\"\\ud800\"",
        "\"2026-01-01T10:00:00.123Z\"",
        "\"2026-01-01T10:00:00Z\"",
        "\"2026-01-01T10:00:00.123456789Z\"",
        "\"2026-01-01T10:00Z\"",
        "\"2026-01-01T12:00:00.123+02:00\"",
        "\"1969-12-31T23:59:59Z\"",
        "\"2026-02-30T10:00:00Z\"",
        "\"2026-01-01T10:00:60Z\"",
        "\"2026-01-01T10:00:00\"",
        "\"2026-01-01 10:00:00Z\"",
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "-1",
        "3",
        "5",
        "5.0",
        "5.000000000000001",
        "6",
        "0.5",
        "1.0",
        "23.5",
        "1e2",
        "1E-2",
        "2.5e+1",
        "-2.5E1",
        "1e308",
        "1e400",
        "-1e400",
        "1e-400",
        "2147483648",
        "-2147483649",
        "9007199254740993",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "12345678901234567890123",
        "123456789012345678901234567890123456789012345678901234567890.5",
        "1767261600123",
        "1767261600123.0",
        "{}",
        "[]",
        "{\"a\":[1,{\"b\":null,\"c\":\"d\"}],\"e\":{}}",
        "[1,\"x\",null,[],{\"k\":true}]",
        "{\"item_id\":\"sku-9\",\"score\":0.1}",
    };

    /** Fields of an event put in place of others, or added. */
    private static final String[] TOP_LEVEL_FIELDS = {
        "event_type",
        "request_id",
        "event_time",
        "user_id",
        "user_segment",
        "model_version",
        "latency_ms",
        "status",
        "error_type",
        "recommendations",
        "features",
        "item_id",
        "action",
        "order_value",
        "rating",
        "schema_version",
    };

    private static final Set<String> PREDICTION_ONLY =
            Set.of(
                    "user_segment",
                    "model_version",
                    "latency_ms",
                    "status",
                    "error_type",
                    "recommendations",
                    "features");

    private static final Set<String> FEEDBACK_ONLY =
            Set.of("item_id", "action", "order_value", "rating");

    private static final String[] ITEM_FIELDS = {"item_id", "score", "category", "price", "slot"};

    private final StreamingEventReader reader = new StreamingEventReader(EventLimits.defaults());

    /** Events the tree path accepts with the default limits, and those the reader reads. */
    private int valid;

    private int read;

    // ---------------------------------------------------------------- the corpus

    /** {@code benchEach} events of each of the bench's kinds, and the hand-written ones. */
    private static List<String> validEvents(int benchEach) {
        List<String> events = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < benchEach; i++) {
            events.add(BenchEvents.prediction(r, i));
            events.add(BenchEvents.smallPrediction(r, i));
            events.add(BenchEvents.feedback(r, i));
        }
        events.addAll(handWritten());
        return events;
    }

    /** The events of the contract that the bench's traffic lacks. */
    private static List<String> handWritten() {
        List<String> events = new ArrayList<>();
        ObjectNode full = prediction();
        full.put("user_segment", "returning").put("status", "error");
        full.put("error_type", "FeatureStoreTimeout");
        ArrayNode recs = full.putArray("recommendations");
        recs.addObject()
                .put("item_id", "sku-1")
                .put("score", 0.91)
                .put("category", "shoes")
                .put("price", 59.99);
        recs.addObject().put("item_id", "sku-2").put("score", 0.5);
        recs.addObject().put("item_id", "sku-3").putNull("score").putNull("category");
        ObjectNode features = full.putObject("features");
        features.put("age", 31).put("ctr_7d", 0.042).put("device", "ios").put("zero", -0.0);
        features.put("is_member", true).put("has_coupon", false).putNull("last_purchase_days");
        features.put("empty", "").put("city", "Zürich").put("emoji", "\uD83D\uDE00");
        events.add(full.toString());
        events.add(prediction().toString());
        events.add(prediction().put("status", "ok").put("error_type", "Timeout").toString());
        events.add(prediction().put("user_id", "").put("user_segment", "new").toString());
        // Text that is well-formed and printable, at the dimension limit, with pairs and spaces.
        events.add(
                prediction()
                        .put("model_version", "v\uD83D\uDE00 " + "x".repeat(124))
                        .put("user_segment", "Zürich west")
                        .toString());
        events.add(prediction().put("latency_ms", 0).toString());
        // Few numeric features among many: the numeric map's capacity counts them all.
        ObjectNode mostlyText = prediction();
        ObjectNode some = mostlyText.putObject("features");
        for (int i = 0; i < 40; i++) {
            if (i % 5 == 0) {
                some.put("f" + i, i * 0.5);
            } else {
                some.put("f" + i, "v" + i);
            }
        }
        events.add(mostlyText.toString());
        events.add(prediction().putNull("features").putNull("recommendations").toString());
        events.add(prediction().put("item_id", "sku-1").put("action", "click").toString());
        events.add(feedback("purchase").put("order_value", 42.5).put("rating", 5).toString());
        events.add(feedback("click").put("order_value", 3).put("rating", 1.0).toString());
        events.add(feedback("impression").putNull("order_value").putNull("rating").toString());
        events.add(feedback("add_to_cart").toString());
        events.add(feedback("click").put("latency_ms", 5).put("status", "ok").toString());
        // Every field of the Kinesis producer's order, event_type last.
        events.add(
                "{\"request_id\":\"r\",\"event_time\":\"2026-01-01T10:00:00.123Z\","
                        + "\"user_id\":\"u\",\"model_version\":\"m\",\"latency_ms\":1,"
                        + "\"event_type\":\"prediction\"}");
        return events;
    }

    /**
     * Variants of one valid event: every field replaced, removed, duplicated or moved, and the
     * whole event wrapped or followed by more text.
     */
    private static Variants mutations(String event) throws Exception {
        Variants variants = new Variants();
        ObjectNode root = (ObjectNode) JSON.readTree(event);
        boolean prediction = "prediction".equals(root.get("event_type").textValue());
        for (String field : TOP_LEVEL_FIELDS) {
            boolean read = !(prediction ? FEEDBACK_ONLY : PREDICTION_ONLY).contains(field);
            for (String value : VALUES) {
                ObjectNode copy = root.deepCopy();
                copy.set(field, TextNode.valueOf(PLACEHOLDER));
                boolean readable =
                        read && (!"event_time".equals(field) || isFastTime(JSON.readTree(value)));
                variants.add(withValue(copy, value), readable);
            }
            if (root.has(field)) {
                ObjectNode copy = root.deepCopy();
                copy.remove(field);
                variants.add(copy.toString());
                // A repeated key, with the same value and with another.
                String text = root.get(field).toString();
                variants.add("{\"" + field + "\":" + text + "," + event.substring(1));
                variants.add(event.substring(0, event.length() - 1) + ",\"" + field + "\":1}");
            }
        }
        JsonNode items = root.get("recommendations");
        if (items != null && items.isArray() && items.size() > 0) {
            for (String value : VALUES) {
                ObjectNode copy = root.deepCopy();
                ((ArrayNode) copy.get("recommendations")).set(0, TextNode.valueOf(PLACEHOLDER));
                variants.add(withValue(copy, value));
                for (String field : ITEM_FIELDS) {
                    copy = root.deepCopy();
                    ObjectNode item = (ObjectNode) copy.get("recommendations").get(0);
                    item.set(field, TextNode.valueOf(PLACEHOLDER));
                    variants.add(withValue(copy, value));
                }
            }
            for (String field : ITEM_FIELDS) {
                ObjectNode copy = root.deepCopy();
                ((ObjectNode) copy.get("recommendations").get(0)).remove(field);
                variants.add(copy.toString());
            }
            variants.add(
                    event.replace(
                            "[{\"item_id\":", "[{\"score\":1,\"item_id\":\"a\",\"item_id\":"));
            variants.add(event.replace("{\"item_id\":", "{\"price\":2,\"price\":3,\"item_id\":"));
        }
        JsonNode features = root.get("features");
        if (features != null && features.isObject() && features.size() > 0) {
            String first = features.fieldNames().next();
            for (String value : VALUES) {
                for (String name : new String[] {first, "new_feature", ""}) {
                    ObjectNode copy = root.deepCopy();
                    ((ObjectNode) copy.get("features")).set(name, TextNode.valueOf(PLACEHOLDER));
                    variants.add(withValue(copy, value));
                }
            }
            variants.add(
                    event.replace(
                            "\"features\":{",
                            "\"features\":{\"" + first + "\":1," + "\"x\":\"y\","));
        }
        for (long seed = 0; seed < 5; seed++) {
            variants.add(reordered(root, new Random(seed)));
        }
        ObjectNode typeLast = root.deepCopy();
        JsonNode type = typeLast.remove("event_type");
        typeLast.set("event_type", type);
        variants.add(typeLast.toString());
        variants.add(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        variants.add(" \t\r\n" + event + "\n");
        for (String tail : new String[] {" x", " {}", "}", "]", ",", " null", " 1", "\u0000"}) {
            variants.add(event + tail);
        }
        variants.add(
                event.replace(
                        "{\"event_type\"",
                        "{\"ctx\":{\"a\":[1,2,{\"b\":[[]]}],\"c\":{\"d\":null}},"
                                + "\"tags\":[\"x\",{\"y\":1e400}],\"event_type\""));
        variants.add(event.replace("{\"event_type\"", "{\"ctx\":{\"a\":1,\"a\":2},\"event_type\""));
        variants.add("[" + event + "]");
        return variants;
    }

    private static boolean isFastTime(JsonNode time) {
        return time.isTextual() && EventParser.utcMillis(time.textValue()) != EventParser.NOT_FAST;
    }

    /**
     * Event texts, each marked with whether the streaming reader must read it when it is valid: it
     * may leave to the tree an event with a time it does not read itself, or with a field of the
     * other event type of an unexpected JSON type.
     */
    private static final class Variants {
        final List<String> texts = new ArrayList<>();
        final List<Boolean> readable = new ArrayList<>();

        void add(String text) {
            add(text, true);
        }

        void add(String text, boolean mustRead) {
            texts.add(text);
            readable.add(mustRead);
        }
    }

    private static String reordered(ObjectNode root, Random random) {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        Collections.shuffle(names, random);
        ObjectNode copy = JSON.createObjectNode();
        for (String name : names) {
            copy.set(name, root.get(name));
        }
        return copy.toString();
    }

    private static String withValue(ObjectNode event, String value) {
        return event.toString().replace("\"" + PLACEHOLDER + "\"", value);
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void acceptsEveryValidEventWithoutTheTree() {
        for (String event : validEvents(50)) {
            InputRecord byTree = TREES[0].parse(event, SOURCE, RECEIVED_AT);
            assertThat(byTree.deadLetter).as(event).isNull();

            InputRecord fromText = reader.read(event);
            InputRecord fromBytes = reader.read(event.getBytes(StandardCharsets.UTF_8));

            assertThat(fromText).as(event).isNotNull();
            assertThat(fromBytes).as(event).isNotNull();
            assertSame(fromText, byTree, event);
            assertSame(fromBytes, byTree, event);
        }
    }

    @Test
    void agreesWithTheTreeOnMutatedEvents() throws Exception {
        for (String event : validEvents(3)) {
            Variants variants = mutations(event);
            for (int i = 0; i < variants.texts.size(); i++) {
                assertAgree(variants.texts.get(i), variants.readable.get(i));
            }
        }
        for (String raw :
                new String[] {
                    "", " ", "null", "1", "\"x\"", "[]", "[{}]", "{}", "{\"event_type\":\"other\"}",
                }) {
            assertAgree(raw);
        }
        // The corpus holds many valid variants, most of them read without the tree.
        assertThat(read).isGreaterThan(valid / 2).isGreaterThan(5_000);
    }

    /** The reader's fast double parsing gives, for any literal, the tree's double. */
    @Test
    void readsEveryNumberAsTheTreeDoes() {
        SplittableRandom r = new SplittableRandom(17);
        for (int event = 0; event < 1000; event++) {
            StringBuilder features = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                features.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":");
                features.append(numberLiteral(r));
            }
            String raw = prediction().toString().replace("}", ",\"features\":{" + features + "}}");
            assertThat(reader.read(raw)).as(raw).isNotNull();
            assertAgree(raw);
        }
    }

    /** Shortest forms, long mantissas, integers beyond long, subnormals and near-halfway cases. */
    private static String numberLiteral(SplittableRandom r) {
        String sign = r.nextBoolean() ? "" : "-";
        switch (r.nextInt(5)) {
            case 0:
                return Double.toString(
                        Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL));
            case 1:
                return sign + digits(r, 1 + r.nextInt(30));
            case 2:
                return sign + digits(r, 1 + r.nextInt(20)) + "." + digits(r, 1 + r.nextInt(25));
            case 3:
                return sign
                        + digits(r, 1)
                        + "."
                        + digits(r, 1 + r.nextInt(25))
                        + "e"
                        + (r.nextInt(630) - 340);
            default:
                // 2^53 + 1 and its neighbours: halfway between two doubles.
                return sign
                        + (9_007_199_254_740_992L + r.nextInt(64))
                        + (r.nextBoolean() ? "" : ".5");
        }
    }

    private static String digits(SplittableRandom r, int count) {
        StringBuilder sb = new StringBuilder(count);
        sb.append(count == 1 ? r.nextInt(10) : 1 + r.nextInt(9));
        for (int i = 1; i < count; i++) {
            sb.append(r.nextInt(10));
        }
        return sb.toString();
    }

    @Test
    void agreesWithTheTreeOnEveryTruncation() {
        SplittableRandom r = new SplittableRandom(5);
        List<String> events = new ArrayList<>();
        events.add(BenchEvents.prediction(r, 1));
        events.add(BenchEvents.smallPrediction(r, 2));
        events.add(BenchEvents.feedback(r, 3));
        events.add(handWritten().get(0));
        for (String event : events) {
            for (int end = 0; end < event.length(); end++) {
                assertAgree(event.substring(0, end));
            }
        }
    }

    @Test
    void agreesWithTheTreeOnBytesThatAreNotUtf8() {
        byte[][] broken = {
            {(byte) 0xFF},
            {(byte) 0xC3, 0x28},
            {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {(byte) 0x80},
            {0x01},
        };
        String[] templates = {
            "{\"event_type\":\"feedback\",\"request_id\":\"r@\",\"event_time\":"
                    + "\"2026-01-01T10:00:00.123Z\",\"user_id\":\"u\",\"item_id\":\"i\","
                    + "\"action\":\"click\"}",
            "{\"event_type\":\"feedback\",\"request_id\":\"r\",\"event_time\":"
                    + "\"2026-01-01T10:00:00.123Z\",\"user_id\":\"u\",\"item_id\":\"i\","
                    + "\"action\":\"click\",\"note\":\"a@b\"}",
            "{\"event_type\":\"feedback\",\"request_id\":\"r\",\"event_time\":"
                    + "\"2026-01-01T10:00:00.123Z\",\"user_id\":\"u\",\"item_id\":\"i\","
                    + "\"action\":\"click\",\"ctx\":{\"tags\":[\"a@b\"]}}",
            "{\"event_type\":\"feedback\",\"request_id\":\"r\",\"event_time\":"
                    + "\"2026-01-01T10:00:00.123Z\",\"user_id\":\"u\",\"item_id\":\"i\","
                    + "\"action\":\"click\",\"n@te\":1}",
        };
        for (String template : templates) {
            int at = template.indexOf('@');
            byte[] before = template.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] after = template.substring(at + 1).getBytes(StandardCharsets.UTF_8);
            for (byte[] bad : broken) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(before);
                bytes.writeBytes(bad);
                bytes.writeBytes(after);
                assertAgree(bytes.toByteArray());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void assertAgree(String raw) {
        assertAgree(raw, false);
    }

    /**
     * The parser gives what the tree gives, from text and from bytes; if {@code mustRead}, a valid
     * event is read by the streaming reader.
     */
    private void assertAgree(String raw, boolean mustRead) {
        for (int i = 0; i < LIMITS.length; i++) {
            InputRecord expected = TREES[i].parse(raw, SOURCE, RECEIVED_AT);
            assertSame(PARSERS[i].parse(raw, SOURCE, RECEIVED_AT), expected, raw);
            byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
            assertSame(
                    PARSERS[i].parse(utf8, SOURCE, RECEIVED_AT),
                    TREES[i].parse(utf8, SOURCE, RECEIVED_AT),
                    raw);
        }
        if (TREES[0].parse(raw, SOURCE, RECEIVED_AT).deadLetter == null) {
            valid++;
            boolean fromText = reader.read(raw) != null;
            boolean fromBytes = reader.read(raw.getBytes(StandardCharsets.UTF_8)) != null;
            assertThat(fromBytes).as(raw).isEqualTo(fromText);
            if (mustRead) {
                assertThat(fromText).as("left to the tree: %s", raw).isTrue();
            }
            if (fromText) {
                read++;
            }
        }
    }

    private void assertAgree(byte[] utf8) {
        String shown = new String(utf8, StandardCharsets.UTF_8);
        for (int i = 0; i < LIMITS.length; i++) {
            assertSame(
                    PARSERS[i].parse(utf8, SOURCE, RECEIVED_AT),
                    TREES[i].parse(utf8, SOURCE, RECEIVED_AT),
                    shown);
        }
    }

    private static void assertSame(InputRecord actual, InputRecord expected, String raw) {
        assertThat(describe(actual)).as(raw).isEqualTo(describe(expected));
        assertThat(actual.prediction).as(raw).isEqualTo(expected.prediction);
        assertThat(actual.feedback).as(raw).isEqualTo(expected.feedback);
        assertThat(actual.deadLetter).as(raw).isEqualTo(expected.deadLetter);
    }

    /**
     * Every field of the record; maps in their iteration order and doubles as text, so that -0.0
     * and 0.0, or two orders of the same entries, differ.
     */
    private static String describe(InputRecord r) {
        if (r.prediction != null) {
            PredictionEvent p = r.prediction;
            return "prediction "
                    + p.requestId
                    + "|"
                    + p.eventTime
                    + "|"
                    + p.userId
                    + "|"
                    + p.userSegment
                    + "|"
                    + p.modelVersion
                    + "|"
                    + p.latencyMs
                    + "|"
                    + p.error
                    + "|"
                    + p.errorType
                    + "|"
                    + p.recommendations
                    + "|"
                    + p.numericFeatures
                    + "|"
                    + p.categoricalFeatures
                    + "|"
                    + p.nullFeatures;
        }
        if (r.feedback != null) {
            FeedbackEvent f = r.feedback;
            return "feedback "
                    + f.requestId
                    + "|"
                    + f.eventTime
                    + "|"
                    + f.userId
                    + "|"
                    + f.itemId
                    + "|"
                    + f.action
                    + "|"
                    + f.orderValue
                    + "|"
                    + f.rating;
        }
        DeadLetter d = r.deadLetter;
        return "dead letter "
                + d.category
                + "|"
                + d.reason
                + "|"
                + d.raw
                + "|"
                + d.source
                + "|"
                + d.receivedAt;
    }
}
