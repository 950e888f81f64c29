package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.Alert;

/**
 * Writes an {@link Alert} as one JSON line, the format of {@code alerts.jsonl}, with the field
 * names a notification receiver expects: {@code alarm_name, severity, state, previous_state,
 * metric, dimensions, value, threshold, time, reason, route, deduplication_key}, and from the alarm
 * engine {@code priority, action, kind, notification, summary, model_version, recent_values,
 * runbook, held_back_by, held_back_since} (left out when the alert has none; recent values without
 * data are {@code null}).
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
        putIfSet(node, "priority", alert.priority);
        putIfSet(node, "action", alert.action);
        putIfSet(node, "kind", alert.kind);
        putIfSet(node, "notification", alert.notification);
        putIfSet(node, "summary", alert.summary);
        putIfSet(node, "model_version", alert.modelVersion);
        if (alert.recentValues != null && alert.recentValues.length > 0) {
            ArrayNode values = node.putArray("recent_values");
            for (double v : alert.recentValues) {
                if (Double.isFinite(v)) {
                    values.add(v);
                } else {
                    values.addNull();
                }
            }
        }
        if (alert.runbook != null && !alert.runbook.isEmpty()) {
            ArrayNode steps = node.putArray("runbook");
            for (String step : alert.runbook) {
                steps.add(step);
            }
        }
        if (alert.heldBackBy != null) {
            node.put("held_back_by", alert.heldBackBy);
            JsonFields.putTime(node, "held_back_since", alert.heldBackSince);
        }
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
        alert.priority = JsonFields.text(node, "priority");
        alert.action = JsonFields.text(node, "action");
        alert.kind = JsonFields.text(node, "kind");
        alert.notification = JsonFields.text(node, "notification");
        alert.summary = JsonFields.text(node, "summary");
        alert.modelVersion = JsonFields.text(node, "model_version");
        JsonNode values = node.get("recent_values");
        if (values != null && values.isArray()) {
            alert.recentValues = new double[values.size()];
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                alert.recentValues[i] = v.isNumber() ? v.asDouble() : Double.NaN;
            }
        }
        JsonNode steps = node.get("runbook");
        if (steps != null && steps.isArray()) {
            for (JsonNode step : steps) {
                alert.runbook.add(step.asText());
            }
        }
        alert.heldBackBy = JsonFields.text(node, "held_back_by");
        if (alert.heldBackBy != null) {
            alert.heldBackSince = JsonFields.time(node, "held_back_since");
        }
        return alert;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonFields.newMapper();
        }
        return mapper;
    }
}
