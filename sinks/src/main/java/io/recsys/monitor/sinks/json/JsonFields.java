package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.text.UnicodeText;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field conventions shared by the three encoders, so that metrics, alerts and dead letters read
 * alike: times as {@link UtcTimestamps}, non-finite numbers as {@code null}, dimensions as a flat
 * object of strings, and any string, well-formed or not, written so that it can always be encoded
 * and shown (see {@link #newMapper}).
 */
final class JsonFields {

    /** Thread-safe once configured; only the static decoders (tests and tools) use it. */
    static final ObjectMapper DECODER = newMapper();

    private JsonFields() {}

    /**
     * The mapper every encoder writes with. It escapes every surrogate as a JSON escape (<code>
     * &#92;uXXXX</code>), so that a lone one (which no UTF-8 writer can encode, and a dead letter
     * may quote) becomes a valid JSON escape instead of an exception, and a pair reads back as the
     * same character; and it escapes control and format characters (DEL, C1 controls, U+202E,
     * zero-width characters), so that a terminal showing an output file is not driven by the text
     * in it.
     */
    static ObjectMapper newMapper() {
        JsonFactory factory = new JsonFactory();
        factory.setCharacterEscapes(SafeEscapes.INSTANCE);
        return new ObjectMapper(factory);
    }

    /** The escapes of {@link #newMapper}; JSON's own for ASCII, plus those it describes. */
    private static final class SafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        static final SafeEscapes INSTANCE = new SafeEscapes();

        private final int[] ascii;

        private SafeEscapes() {
            int[] codes = CharacterEscapes.standardAsciiEscapesForJSON();
            codes[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
            ascii = codes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (Character.isSurrogate((char) ch) || UnicodeText.isControlOrFormat(ch)) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }

    static void putNumber(ObjectNode node, String field, double value) {
        // Jackson would write NaN/Infinity as bare tokens or strings; neither is a JSON number.
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    static void putTime(ObjectNode node, String field, long epochMillis) {
        node.put(field, UtcTimestamps.format(epochMillis));
    }

    static void putDimensions(ObjectNode node, Map<String, String> dimensions) {
        ObjectNode object = node.putObject("dimensions");
        if (dimensions != null) {
            for (Map.Entry<String, String> entry : dimensions.entrySet()) {
                object.put(entry.getKey(), entry.getValue());
            }
        }
    }

    static String write(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of strings and numbers always serializes; this would be a Jackson bug.
            throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode read(String line, String what) {
        JsonNode node;
        try {
            node = DECODER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JSON " + what + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Not a JSON " + what + " object: " + line);
        }
        return node;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A missing or null number decodes as NaN, the inverse of {@link #putNumber}. */
    static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Double.NaN : value.asDouble();
    }

    static long time(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            throw new IllegalArgumentException("Missing time field '" + field + "'");
        }
        return UtcTimestamps.parse(text);
    }

    static TreeMap<String, String> dimensions(JsonNode node) {
        TreeMap<String, String> dimensions = new TreeMap<>();
        JsonNode object = node.get("dimensions");
        if (object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                dimensions.put(field.getKey(), value.isNull() ? null : value.asText());
            }
        }
        return dimensions;
    }
}
