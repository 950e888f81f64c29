package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.Alert;

/**
 * Writes an {@link Alert} as one JSON line, the format of {@code alerts.jsonl}, with the field
 * names a notification receiver expects: {@code alarm_name, severity, state, previous_state,
 * metric, dimensions, value, threshold, time, reason, route, deduplication_key}.
 *
 * <p>{@code time} is ISO-8601 UTC with milliseconds. A NaN or infinite {@code value} or {@code
 * threshold} is written as {@code null} (JSON has no such numbers) and decoded back as NaN.
 *
 * <p>An instance is used by one writer thread; its {@link ObjectMapper} is created lazily after
 * deserialization on the task manager.
 */
public final class AlertJson implements RecordEncoder<Alert> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;

    @Override
    public String encode(Alert alert) {
        ObjectMapper json = mapper();
        ObjectNode node = json.createObjectNode();
        node.put("alarm_name", alert.alarmName);
        node.put("severity", alert.severity);
        node.put("state", alert.state);
        node.put("previous_state", alert.previousState);
        node.put("metric", alert.metric);
        JsonFields.putDimensions(node, alert.dimensions);
        JsonFields.putNumber(node, "value", alert.value);
        JsonFields.putNumber(node, "threshold", alert.threshold);
        JsonFields.putTime(node, "time", alert.time);
        node.put("reason", alert.reason);
        node.put("route", alert.route);
        node.put("deduplication_key", alert.deduplicationKey);
        return JsonFields.write(json, node);
    }

    /**
     * Reads a line written by {@link #encode} back into an alert, for tests and tools that check
     * {@code alerts.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static Alert decode(String line) {
        JsonNode node = JsonFields.read(line, "alert");
        Alert alert = new Alert();
        alert.alarmName = JsonFields.text(node, "alarm_name");
        alert.severity = JsonFields.text(node, "severity");
        alert.state = JsonFields.text(node, "state");
        alert.previousState = JsonFields.text(node, "previous_state");
        alert.metric = JsonFields.text(node, "metric");
        alert.dimensions = JsonFields.dimensions(node);
        alert.value = JsonFields.number(node, "value");
        alert.threshold = JsonFields.number(node, "threshold");
        alert.time = JsonFields.time(node, "time");
        alert.reason = JsonFields.text(node, "reason");
        alert.route = JsonFields.text(node, "route");
        alert.deduplicationKey = JsonFields.text(node, "deduplication_key");
        return alert;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }
}
