package io.recsys.monitor.sinks.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.model.MetricPoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricPointJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long WINDOW_START = Instant.parse("2026-01-01T00:55:00Z").toEpochMilli();
    private static final long WINDOW_END = Instant.parse("2026-01-01T01:00:00Z").toEpochMilli();

    private final MetricPointJson encoder = new MetricPointJson();

    @Test
    void writesTheDocumentedFieldsInOrderWithIsoTimes() throws IOException {
        String line = encoder.encode(ctr(1.52));

        JsonNode node = JSON.readTree(line);
        assertThat(fieldNames(node))
                .containsExactly(
                        "namespace",
                        "metric",
                        "dimensions",
                        "timestamp",
                        "value",
                        "unit",
                        "window_start",
                        "window_end");
        assertThat(node.get("namespace").asText()).isEqualTo("RecSys/Monitor");
        assertThat(node.get("metric").asText()).isEqualTo("CTR");
        assertThat(node.get("dimensions").get("ModelVersion").asText()).isEqualTo("v1");
        assertThat(node.get("dimensions").get("Segment").asText()).isEqualTo("new_users");
        assertThat(node.get("timestamp").asText()).isEqualTo("2026-01-01T01:00:00.000Z");
        assertThat(node.get("value").isNumber()).isTrue();
        assertThat(node.get("value").asDouble()).isEqualTo(1.52);
        assertThat(node.get("unit").asText()).isEqualTo("Percent");
        assertThat(node.get("window_start").asText()).isEqualTo("2026-01-01T00:55:00.000Z");
        assertThat(node.get("window_end").asText()).isEqualTo("2026-01-01T01:00:00.000Z");
    }

    @Test
    void keepsMillisecondsAndIsOneLine() {
        MetricPoint point = ctr(0.5);
        point.timestamp = WINDOW_END + 7;

        String line = encoder.encode(point);

        assertThat(line)
                .contains("\"timestamp\":\"2026-01-01T01:00:00.007Z\"")
                .doesNotContain("\n");
    }

    @Test
    void writesEmptyDimensionsAsAnEmptyObject() throws IOException {
        MetricPoint point = ctr(3.0);
        point.dimensions = new TreeMap<>();

        JsonNode node = JSON.readTree(encoder.encode(point));

        assertThat(node.get("dimensions").isObject()).isTrue();
        assertThat(node.get("dimensions").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void writesNonFiniteValuesAsNull(double value) throws IOException {
        String line = encoder.encode(ctr(value));

        assertThat(JSON.readTree(line).get("value").isNull()).as(line).isTrue();
    }

    @Test
    void writesTheEvidenceWhenKnownAndReadsItBack() throws IOException {
        MetricPoint point = ctr(52.0).withEvidence(40, 30.0);
        String line = encoder.encode(point);
        JsonNode node = JSON.readTree(line);
        assertThat(fieldNames(node)).endsWith("window_end", "samples", "sample_std_dev");
        assertThat(node.get("samples").asLong()).isEqualTo(40);
        assertThat(node.get("sample_std_dev").asDouble()).isEqualTo(30.0);
        assertThat(MetricPointJson.decode(line)).isEqualTo(point);
        // A proportion has samples and no std dev; a count has neither.
        MetricPoint rate = ctr(1.5).withEvidence(200, Double.NaN);
        assertThat(fieldNames(JSON.readTree(encoder.encode(rate)))).endsWith("samples");
        assertThat(MetricPointJson.decode(encoder.encode(rate))).isEqualTo(rate);
        MetricPoint bare = MetricPointJson.decode(encoder.encode(ctr(1.5)));
        assertThat(bare.samples).isZero();
        assertThat(bare.sampleStdDev).isNaN();
    }

    @Test
    void decodesWhatItEncodes() {
        MetricPoint point = ctr(1.52);

        assertThat(MetricPointJson.decode(encoder.encode(point))).isEqualTo(point);
    }

    @Test
    void decodesNullValueAsNaN() {
        MetricPoint decoded = MetricPointJson.decode(encoder.encode(ctr(Double.NaN)));

        assertThat(decoded.value).isNaN();
        assertThat(decoded).isEqualTo(ctr(Double.NaN));
    }

    @Test
    void rejectsLinesThatAreNotMetricPoints() {
        assertThatThrownBy(() -> MetricPointJson.decode("not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricPointJson.decode("[1,2]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricPointJson.decode("{\"metric\":\"CTR\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamp");
    }

    @Test
    void stillEncodesAfterJavaSerialization() throws Exception {
        // Flink ships the encoder inside the sink; the mapper must come back to life lazily.
        encoder.encode(ctr(1.0));
        MetricPointJson copy = javaRoundTrip(encoder);

        assertThat(copy.encode(ctr(1.52))).isEqualTo(encoder.encode(ctr(1.52)));
    }

    static MetricPoint ctr(double value) {
        return new MetricPoint(
                "RecSys/Monitor",
                "CTR",
                Map.of("ModelVersion", "v1", "Segment", "new_users"),
                value,
                "Percent",
                WINDOW_START,
                WINDOW_END);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @SuppressWarnings("unchecked")
    static <T> T javaRoundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
