package io.recsys.monitor.sinks.json;

import static io.recsys.monitor.sinks.json.MetricPointJsonTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.model.DeadLetter;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Broken input as it arrives: quotes, a line break and a non-ASCII character.
    private static final String RAW = "{\"request_id\": \"r-1\",\n \"items\": [\"café\"";

    private final DeadLetterJson encoder = new DeadLetterJson();

    @Test
    void writesTheDocumentedFieldsInOrderWithIsoTime() throws IOException {
        String line = encoder.encode(invalidJson());

        JsonNode node = JSON.readTree(line);
        assertThat(fieldNames(node))
                .containsExactly("reason", "category", "raw", "source", "received_at");
        assertThat(node.get("reason").asText()).isEqualTo("unexpected end of input");
        assertThat(node.get("category").asText()).isEqualTo("invalid_json");
        assertThat(node.get("raw").asText()).isEqualTo(RAW);
        assertThat(node.get("source").asText()).isEqualTo("file:/data/events.jsonl");
        assertThat(node.get("received_at").asText()).isEqualTo("2026-01-01T01:02:03.456Z");
    }

    @Test
    void keepsMultiLineRawInputOnOneLine() {
        assertThat(encoder.encode(invalidJson())).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void decodesWhatItEncodes() {
        DeadLetter deadLetter = invalidJson();

        assertThat(DeadLetterJson.decode(encoder.encode(deadLetter))).isEqualTo(deadLetter);
    }

    private static DeadLetter invalidJson() {
        return new DeadLetter(
                DeadLetter.Reason.INVALID_JSON,
                "unexpected end of input",
                RAW,
                "file:/data/events.jsonl",
                Instant.parse("2026-01-01T01:02:03.456Z").toEpochMilli());
    }
}
