package io.recsys.monitor.sinks.json;

import static io.recsys.monitor.sinks.json.MetricPointJsonTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.model.Alert;
import java.io.IOException;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertJson encoder = new AlertJson();

    @Test
    void writesTheDocumentedFieldsInOrderWithIsoTime() throws IOException {
        JsonNode node = JSON.readTree(encoder.encode(lowCtr()));

        assertThat(fieldNames(node))
                .containsExactly(
                        "alarm_name",
                        "severity",
                        "state",
                        "previous_state",
                        "metric",
                        "dimensions",
                        "value",
                        "threshold",
                        "time",
                        "reason",
                        "route",
                        "deduplication_key");
        assertThat(node.get("alarm_name").asText()).isEqualTo("recommendation-low-ctr");
        assertThat(node.get("severity").asText()).isEqualTo("critical");
        assertThat(node.get("state").asText()).isEqualTo("ALARM");
        assertThat(node.get("previous_state").asText()).isEqualTo("OK");
        assertThat(node.get("metric").asText()).isEqualTo("CTR");
        assertThat(node.get("dimensions").get("ModelVersion").asText()).isEqualTo("v2");
        assertThat(node.get("value").asDouble()).isEqualTo(1.52);
        assertThat(node.get("threshold").asDouble()).isEqualTo(2.0);
        assertThat(node.get("time").asText()).isEqualTo("2026-01-01T03:00:00.000Z");
        assertThat(node.get("reason").asText()).isEqualTo("CTR below 2.0 in 3 of 3 periods");
        assertThat(node.get("route").asText()).isEqualTo("ml");
        assertThat(node.get("deduplication_key").asText())
                .isEqualTo("recommendation-low-ctr|ModelVersion=v2");
    }

    @Test
    void writesMissingPreviousStateAndNonFiniteNumbersAsNull() throws IOException {
        Alert alert = lowCtr();
        alert.previousState = null;
        alert.value = Double.NaN;
        alert.threshold = Double.POSITIVE_INFINITY;

        JsonNode node = JSON.readTree(encoder.encode(alert));

        assertThat(node.get("previous_state").isNull()).isTrue();
        assertThat(node.get("value").isNull()).isTrue();
        assertThat(node.get("threshold").isNull()).isTrue();
    }

    @Test
    void decodesWhatItEncodes() {
        Alert alert = lowCtr();

        assertThat(AlertJson.decode(encoder.encode(alert))).isEqualTo(alert);
    }

    static Alert lowCtr() {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "critical";
        alert.state = "ALARM";
        alert.previousState = "OK";
        alert.metric = "CTR";
        alert.dimensions = new TreeMap<>();
        alert.dimensions.put("ModelVersion", "v2");
        alert.value = 1.52;
        alert.threshold = 2.0;
        alert.time = Instant.parse("2026-01-01T03:00:00Z").toEpochMilli();
        alert.reason = "CTR below 2.0 in 3 of 3 periods";
        alert.route = "ml";
        alert.deduplicationKey = "recommendation-low-ctr|ModelVersion=v2";
        return alert;
    }
}
