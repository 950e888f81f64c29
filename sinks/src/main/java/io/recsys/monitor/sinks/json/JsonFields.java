package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.recsys.monitor.text.UnicodeText;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one mapper of the record encoders and the conventions they share, so that metrics, alerts,
 * drift reports and dead letters read alike: snake_case names of the public fields (order and
 * omissions per record in {@link RecordMixins}), times as {@link UtcTimestamps}, non-finite numbers
 * as {@code null}, and any string, well-formed or not, written so that it can always be encoded and
 * shown (see {@link SafeEscapes}).
 */
final class JsonFields {

    /** Thread-safe once configured; shared by every encoder and decoder. */
    static final ObjectMapper MAPPER = newMapper();

    private JsonFields() {}

    private static ObjectMapper newMapper() {
        JsonFactory factory = new JsonFactory();
        factory.setCharacterEscapes(SafeEscapes.INSTANCE);
        ObjectMapper mapper =
                new ObjectMapper(factory)
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        // The records are public fields; a helper such as seriesKey() is no field.
                        .setVisibility(PropertyAccessor.GETTER, Visibility.NONE)
                        .setVisibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                        .registerModule(NonFiniteAsNull.module());
        RecordMixins.addTo(mapper);
        return mapper;
    }

    static String write(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            // Strings, numbers and maps of strings always serialize; this would be a Jackson bug.
            throw new IllegalStateException("Could not write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a line written by {@link #write}.
     *
     * @param what the record's name in error messages
     * @param times the time fields the line must have
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    static <T> T read(String line, Class<T> type, String what, String... times) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JSON " + what + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Not a JSON " + what + " object: " + line);
        }
        for (String field : times) {
            if (!node.hasNonNull(field)) {
                throw new IllegalArgumentException("Missing time field '" + field + "'");
            }
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a JSON " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Escapes every surrogate as a JSON escape (<code>&#92;uXXXX</code>), so that a lone one (which
     * no UTF-8 writer can encode, and a dead letter may quote) becomes a valid JSON escape instead
     * of an exception, and a pair reads back as the same character; and escapes control and format
     * characters (DEL, C1 controls, U+202E, zero-width characters), so that a terminal showing an
     * output file is not driven by the text in it. JSON's own escapes for the rest.
     */
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

    /**
     * NaN and the infinities as {@code null}, read back as NaN: Jackson would write them as bare
     * tokens or strings, and neither is a JSON number that every reader of the files accepts.
     */
    private static final class NonFiniteAsNull {

        static SimpleModule module() {
            JsonSerializer<Double> number =
                    new JsonSerializer<>() {
                        @Override
                        public void serialize(Double v, JsonGenerator g, SerializerProvider p)
                                throws IOException {
                            if (Double.isFinite(v)) {
                                g.writeNumber(v);
                            } else {
                                g.writeNull();
                            }
                        }
                    };
            JsonDeserializer<Double> readNumber =
                    new JsonDeserializer<>() {
                        @Override
                        public Double deserialize(JsonParser parser, DeserializationContext c)
                                throws IOException {
                            return parser.getValueAsDouble(Double.NaN);
                        }

                        @Override
                        public Double getNullValue(DeserializationContext c) {
                            return Double.NaN;
                        }
                    };
            JsonSerializer<double[]> numbers =
                    new JsonSerializer<>() {
                        @Override
                        public void serialize(double[] v, JsonGenerator g, SerializerProvider p)
                                throws IOException {
                            g.writeStartArray(v, v.length);
                            for (double d : v) {
                                number.serialize(d, g, p);
                            }
                            g.writeEndArray();
                        }

                        @Override
                        public boolean isEmpty(SerializerProvider p, double[] v) {
                            return v == null || v.length == 0;
                        }
                    };
            JsonDeserializer<double[]> readNumbers =
                    new JsonDeserializer<>() {
                        @Override
                        public double[] deserialize(JsonParser parser, DeserializationContext c)
                                throws IOException {
                            JsonNode array = parser.readValueAsTree();
                            double[] values = new double[array.isArray() ? array.size() : 0];
                            for (int i = 0; i < values.length; i++) {
                                JsonNode v = array.get(i);
                                values[i] = v.isNumber() ? v.asDouble() : Double.NaN;
                            }
                            return values;
                        }
                    };
            return new SimpleModule("non-finite-as-null")
                    .addSerializer(Double.TYPE, number)
                    .addSerializer(Double.class, number)
                    .addDeserializer(Double.TYPE, readNumber)
                    .addDeserializer(Double.class, readNumber)
                    .addSerializer(double[].class, numbers)
                    .addDeserializer(double[].class, readNumbers);
        }
    }

    /** Marks an epoch-millisecond field written as an ISO-8601 UTC time ({@link UtcTimestamps}). */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonSerialize(using = UtcTime.Writer.class)
    @JsonDeserialize(using = UtcTime.Reader.class)
    @interface UtcTime {

        /** Writes epoch milliseconds as {@link UtcTimestamps#format}. */
        final class Writer extends JsonSerializer<Long> {
            @Override
            public void serialize(Long epochMillis, JsonGenerator g, SerializerProvider p)
                    throws IOException {
                g.writeString(UtcTimestamps.format(epochMillis));
            }
        }

        /** Reads {@link UtcTimestamps#parse}. */
        final class Reader extends JsonDeserializer<Long> {
            @Override
            public Long deserialize(JsonParser parser, DeserializationContext c)
                    throws IOException {
                return UtcTimestamps.parse(parser.getValueAsString());
            }
        }
    }
}
