package io.recsys.monitor.operators.ingest;

import static io.recsys.monitor.operators.ingest.ContractEvents.feedback;
import static io.recsys.monitor.operators.ingest.ContractEvents.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hostile inputs reproduced against the first release (issue 13), each as an example: strings
 * that are not well-formed UTF-16, bytes that are not UTF-8, a byte-order mark, an over-long line,
 * and values that would put control characters into metric dimensions or the console. Every case is
 * parsed from text and from bytes, by the streaming reader and by the tree path alone, which must
 * all agree.
 */
class InputSafetyTest {
    private static final String SOURCE = "kinesis:events";
    private static final long RECEIVED_AT = 1_767_300_000_000L;

    private final EventParser parser = new EventParser(EventLimits.defaults());
    private final EventParser tree = EventParser.treeOnly(EventLimits.defaults());

    /** {@code json} with the placeholder {@code @@} replaced by raw JSON text, e.g. an escape. */
    private static String with(ObjectNode event, String field, String jsonText) {
        return event.put(field, "@@").toString().replace("\"@@\"", "\"" + jsonText + "\"");
    }

    /** The one record every way of parsing {@code json} gives. */
    private InputRecord parseEveryWay(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        InputRecord fromText = parser.parse(json, SOURCE, RECEIVED_AT);
        assertThat(tree.parse(json, SOURCE, RECEIVED_AT))
                .usingRecursiveComparison()
                .isEqualTo(fromText);
        assertThat(parser.parse(utf8, SOURCE, RECEIVED_AT))
                .usingRecursiveComparison()
                .isEqualTo(fromText);
        assertThat(tree.parse(utf8, SOURCE, RECEIVED_AT))
                .usingRecursiveComparison()
                .isEqualTo(fromText);
        assertThat(parser.parse(new RawLine(utf8, utf8.length), SOURCE, RECEIVED_AT))
                .usingRecursiveComparison()
                .isEqualTo(fromText);
        return fromText;
    }

    private DeadLetter deadLetter(String json) {
        InputRecord record = parseEveryWay(json);
        assertThat(record.prediction).isNull();
        assertThat(record.feedback).isNull();
        assertThat(record.deadLetter).isNotNull();
        return record.deadLetter;
    }

    // ------------------------------------------------------------ lone surrogates

    @ParameterizedTest
    @CsvSource({
        "model_version, \\ud800v1, U+D800 at index 0",
        "request_id, req\\udc00, U+DC00 at index 3",
        "user_id, \\udbff, U+DBFF at index 0",
        "user_segment, new\\ud83d, U+D83D at index 3",
        "event_time, 2026\\ud800, U+D800 at index 4",
        "status, \\udfff, U+DFFF at index 0",
    })
    void aLoneSurrogateInAPredictionFieldIsAnInvalidValueNamingIt(
            String field, String escaped, String where) {
        DeadLetter d = deadLetter(with(prediction(), field, escaped));

        assertThat(d.category).isEqualTo("invalid_value");
        assertThat(d.reason)
                .isEqualTo(
                        "field '"
                                + field
                                + "' must be well-formed UTF-16, got a lone surrogate "
                                + where);
    }

    @Test
    void aLoneSurrogateInFeedbackActionIsRejectedAndItsDeadLetterKeepsTheText() {
        DeadLetter d = deadLetter(with(feedback("click"), "action", "\\udc00x"));

        assertThat(d.category).isEqualTo("invalid_value");
        assertThat(d.reason)
                .isEqualTo(
                        "field 'action' must be well-formed UTF-16, got a lone surrogate U+DC00"
                                + " at index 0");
        assertThat(d.raw).contains("\\udc00x");
        assertThat(d.rawBase64).isNull();
    }

    @Test
    void aLoneSurrogateInAFeatureNameOrValueOrNestedUnknownFieldIsNamedByItsPath() {
        String inName =
                prediction().toString().replace("}", ",\"features\":{\"ok\":1,\"a\\ud800\":2}}");
        DeadLetter name = deadLetter(inName);
        assertThat(name.category).isEqualTo("invalid_value");
        assertThat(name.reason)
                .isEqualTo(
                        "field 'features.a\\ud800' has a name that must be well-formed UTF-16,"
                                + " got a lone surrogate U+D800 at index 1");

        String inValue =
                prediction().toString().replace("}", ",\"features\":{\"device\":\"\\udfffios\"}}");
        assertThat(deadLetter(inValue).reason)
                .isEqualTo(
                        "field 'features.device' must be well-formed UTF-16, got a lone surrogate"
                                + " U+DFFF at index 0");

        String inUnknown =
                prediction()
                        .toString()
                        .replace("}", ",\"extra\":{\"list\":[1,\"ok\",\"\\ud800\"]}}");
        assertThat(deadLetter(inUnknown).reason)
                .isEqualTo(
                        "field 'extra.list.[2]' must be well-formed UTF-16, got a lone surrogate"
                                + " U+D800 at index 0");

        String inItem =
                prediction()
                        .toString()
                        .replace("}", ",\"recommendations\":[{\"item_id\":\"sku\\udc00\"}]}");
        assertThat(deadLetter(inItem).reason)
                .isEqualTo(
                        "field 'recommendations.[0].item_id' must be well-formed UTF-16, got a lone"
                                + " surrogate U+DC00 at index 3");
    }

    @Test
    void aSurrogatePairIsACharacterLikeAnyOther() {
        InputRecord record = parseEveryWay(with(prediction(), "model_version", "v\\ud83d\\ude00"));

        assertThat(record.prediction.modelVersion).isEqualTo("v\uD83D\uDE00");
    }

    // ------------------------------------------------------------ bytes that are not UTF-8

    @Test
    void invalidUtf8IsInvalidJsonAndTheBytesStayRecoverable() {
        byte[] good = with(prediction(), "model_version", "@v1").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(good, (byte) '@');
        byte[] bad = good.clone();
        bad[at] = (byte) 0xFF;
        byte[] bad2 = Arrays.copyOf(good, good.length);
        bad2[at] = (byte) 0xC3; // a lead byte followed by 'v', not a continuation byte

        for (byte[] bytes : new byte[][] {bad, bad2}) {
            for (EventParser p : new EventParser[] {parser, tree}) {
                DeadLetter d = p.parse(bytes, SOURCE, RECEIVED_AT).deadLetter;
                assertThat(d.category).isEqualTo("invalid_json");
                assertThat(d.reason)
                        .isEqualTo(
                                String.format(
                                        "invalid JSON: byte %d (0x%02x) is not valid UTF-8",
                                        at, bytes[at] & 0xFF));
                assertThat(d.raw).contains("\uFFFDv1");
                assertThat(Base64.getDecoder().decode(d.rawBase64)).isEqualTo(bytes);
                assertThat(
                                p.parse(new RawLine(bytes, bytes.length), SOURCE, RECEIVED_AT)
                                        .deadLetter)
                        .isEqualTo(d);
            }
        }
    }

    @Test
    void anEncodedSurrogateOrAnOverlongFormIsNotUtf8Either() {
        String json = with(prediction(), "model_version", "@@@v1");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, (byte) '@');
        bytes[at] = (byte) 0xED;
        bytes[at + 1] = (byte) 0xA0;
        bytes[at + 2] = (byte) 0x80;
        assertThat(parser.parse(bytes, SOURCE, RECEIVED_AT).deadLetter.category)
                .isEqualTo("invalid_json");
        bytes[at] = (byte) 0xC0;
        bytes[at + 1] = (byte) 0xAF;
        bytes[at + 2] = 'x';
        assertThat(parser.parse(bytes, SOURCE, RECEIVED_AT).deadLetter.category)
                .isEqualTo("invalid_json");
    }

    @Test
    void theRawBase64OfALargeInvalidEventIsBoundedByTheRawLimit() {
        EventParser small = new EventParser(new EventLimits(65536, 100, 200, 64));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(
                prediction()
                        .put("pad", "x".repeat(500))
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
        byte[] event = bytes.toByteArray();
        event[event.length - 5] = (byte) 0xFE;

        DeadLetter d = small.parse(event, SOURCE, RECEIVED_AT).deadLetter;

        assertThat(d.category).isEqualTo("invalid_json");
        assertThat(Base64.getDecoder().decode(d.rawBase64)).isEqualTo(Arrays.copyOf(event, 64));
    }

    // ------------------------------------------------------------ byte-order mark

    @Test
    void aUtf8ByteOrderMarkBeforeAnEventIsSkipped() {
        byte[] json = prediction().toString().getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);

        InputRecord plain = parser.parse(json, SOURCE, RECEIVED_AT);
        assertThat(plain.prediction).isNotNull();
        assertThat(parser.parse(withBom, SOURCE, RECEIVED_AT).prediction)
                .isEqualTo(plain.prediction);
        assertThat(tree.parse(withBom, SOURCE, RECEIVED_AT).prediction).isEqualTo(plain.prediction);
        assertThat(
                        parser.parse(new RawLine(withBom, withBom.length), SOURCE, RECEIVED_AT)
                                .prediction)
                .isEqualTo(plain.prediction);
    }

    // ------------------------------------------------------------ lines cut by the reader

    @Test
    void aLineTheReaderCutIsLimitExceededWithItsFirstCharacters() {
        byte[] prefix =
                ("{\"event_type\":\"prediction\",\"pad\":\"" + "é".repeat(40))
                        .getBytes(StandardCharsets.UTF_8);
        // The reader kept the first bytes, the last one the start of an é.
        int end = (prefix[63] & 0xFF) == 0xC3 ? 64 : 65;
        byte[] kept = Arrays.copyOf(prefix, end);
        assertThat(kept[end - 1] & 0xFF).isEqualTo(0xC3);

        DeadLetter d =
                parser.parse(new RawLine(kept, 700_000_000L), SOURCE, RECEIVED_AT).deadLetter;

        assertThat(d.category).isEqualTo("limit_exceeded");
        assertThat(d.reason).isEqualTo("event is 700000000 bytes, limit is 65536");
        String text = new String(kept, 0, end - 1, StandardCharsets.UTF_8);
        assertThat(d.raw).isEqualTo(text + "…[truncated " + (700_000_000L - end + 1) + " bytes]");
        assertThat(d.rawBase64).isNull();
    }

    // ------------------------------------------------------------ dimension values

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "model_version | v1\\u0000 | must not contain control or format characters, got U+0000 at index 2",
                "model_version | \\u001b]0;owned\\u0007 | must not contain control or format characters, got U+001B at index 0",
                "user_segment | adm\\u202enim | must not contain control or format characters, got U+202E at index 3",
                "user_segment | a\\u200bb | must not contain control or format characters, got U+200B at index 1",
                "user_segment | '   ' | must not be blank",
                "user_segment | '' | must not be blank",
                "error_type | \\u0085 | must not contain control or format characters, got U+0085 at index 0",
            })
    void aValueThatWouldBecomeADimensionMustBePrintable(
            String field, String escaped, String problem) {
        ObjectNode event = prediction().put("status", "error");
        DeadLetter d = deadLetter(with(event, field, escaped));

        assertThat(d.category).isEqualTo("invalid_value");
        assertThat(d.reason).isEqualTo("field '" + field + "' " + problem);
    }

    @Test
    void aThirtyThousandCharacterModelVersionIsRejected() {
        DeadLetter d = deadLetter(prediction().put("model_version", "v".repeat(30_000)).toString());

        assertThat(d.category).isEqualTo("invalid_value");
        assertThat(d.reason)
                .isEqualTo("field 'model_version' must be at most 128 characters, got 30000");
        assertThat(
                        parseEveryWay(prediction().put("model_version", "v".repeat(128)).toString())
                                .prediction)
                .isNotNull();
    }

    @Test
    void featureNamesAndCategoricalValuesFollowTheDimensionRules() {
        ObjectNode badName = prediction();
        badName.putObject("features").put("age", 3).put("\u001b[2J", 1);
        assertThat(deadLetter(badName.toString()).reason)
                .isEqualTo(
                        "field 'features' has a feature name that must not contain control or"
                                + " format characters, got U+001B at index 0: '\\u001b[2J'");

        ObjectNode blankName = prediction();
        blankName.putObject("features").put(" ", 1);
        assertThat(deadLetter(blankName.toString()).reason)
                .isEqualTo("field 'features' has a feature name that must not be blank: ' '");

        ObjectNode badValue = prediction();
        badValue.putObject("features").put("device", "io\u202Es");
        assertThat(deadLetter(badValue.toString()).reason)
                .isEqualTo(
                        "field 'features.device' must not contain control or format characters,"
                                + " got U+202E at index 2");

        ObjectNode longValue = prediction();
        longValue.putObject("features").put("device", "x".repeat(129));
        assertThat(deadLetter(longValue.toString()).reason)
                .isEqualTo("field 'features.device' must be at most 128 characters, got 129");

        // An empty category stays a value like any other.
        ObjectNode emptyValue = prediction();
        emptyValue.putObject("features").put("device", "");
        assertThat(parseEveryWay(emptyValue.toString()).prediction.categoricalFeatures)
                .containsEntry("device", "");
    }

    @Test
    void theDimensionLimitIsConfigured() {
        EventParser narrow = new EventParser(new EventLimits(65536, 100, 200, 4096, 8));
        assertThat(
                        narrow.parse(
                                        prediction().put("model_version", "12345678").toString(),
                                        SOURCE,
                                        RECEIVED_AT)
                                .prediction)
                .isNotNull();
        assertThat(
                        narrow.parse(
                                        prediction().put("model_version", "123456789").toString(),
                                        SOURCE,
                                        RECEIVED_AT)
                                .deadLetter
                                .reason)
                .isEqualTo("field 'model_version' must be at most 8 characters, got 9");
    }

    @Test
    void reasonsQuoteHostileValuesInPrintableForm() {
        DeadLetter d = deadLetter(feedback("\u001b[31mclick\u202E").toString());

        assertThat(d.reason)
                .isEqualTo(
                        "field 'action' must be one of impression, click, add_to_cart, purchase,"
                                + " got '\\u001b[31mclick\\u202e'");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no " + (char) b);
    }
}
