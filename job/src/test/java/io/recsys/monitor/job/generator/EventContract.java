package io.recsys.monitor.job.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A strict reading of the event contract (docs/events.md), written independently of the generator
 * so that tests check its output against the contract rather than against itself.
 */
final class EventContract {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> ACTIONS =
            Arrays.asList("impression", "click", "add_to_cart", "purchase");

    private EventContract() {}

    /** The parsed object, or {@code null} when the line is not a JSON object. */
    static JsonNode parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Why {@code line} breaks the contract, or {@code null} when it keeps it. */
    static String violation(String line) {
        JsonNode e = parse(line);
        if (e == null) {
            return "not a JSON object";
        }
        String type = e.path("event_type").asText("");
        if (!isText(e, "request_id")) {
            return "request_id";
        }
        if (!isText(e, "user_id")) {
            return "user_id";
        }
        JsonNode time = e.get("event_time");
        boolean isoText = time != null && time.isTextual() && isIsoTime(time.asText());
        if (time == null || !(isoText || time.isIntegralNumber())) {
            return "event_time";
        }
        if (type.equals("prediction")) {
            return predictionViolation(e);
        }
        if (type.equals("feedback")) {
            return feedbackViolation(e);
        }
        return "event_type";
    }

    private static String predictionViolation(JsonNode e) {
        if (!isText(e, "user_segment") || !isText(e, "model_version")) {
            return "user_segment/model_version";
        }
        JsonNode latency = e.get("latency_ms");
        if (latency == null || !latency.isNumber() || latency.asDouble() < 0) {
            return "latency_ms";
        }
        String status = e.path("status").asText("");
        if (!status.equals("ok") && !status.equals("error")) {
            return "status";
        }
        if (e.has("error_type") && !isText(e, "error_type")) {
            return "error_type";
        }
        JsonNode recs = e.get("recommendations");
        if (recs == null || !recs.isArray() || recs.size() > 100) {
            return "recommendations";
        }
        for (JsonNode r : recs) {
            if (!isText(r, "item_id")
                    || !r.path("score").isNumber()
                    || !isText(r, "category")
                    || !r.path("price").isNumber()
                    || r.path("price").asDouble() <= 0) {
                return "recommendation " + r;
            }
        }
        JsonNode features = e.get("features");
        if (features == null || !features.isObject()) {
            return "features";
        }
        Iterator<Map.Entry<String, JsonNode>> it = features.fields();
        while (it.hasNext()) {
            JsonNode v = it.next().getValue();
            if (!(v.isNumber() || v.isTextual() || v.isBoolean() || v.isNull())) {
                return "feature " + v;
            }
        }
        return null;
    }

    private static String feedbackViolation(JsonNode e) {
        if (!isText(e, "item_id")) {
            return "item_id";
        }
        String action = e.path("action").asText("");
        if (!ACTIONS.contains(action)) {
            return "action";
        }
        JsonNode value = e.get("order_value");
        if (action.equals("purchase") && value == null) {
            return "order_value missing";
        }
        if (value != null && (!value.isNumber() || value.asDouble() <= 0)) {
            return "order_value";
        }
        JsonNode rating = e.get("rating");
        if (rating != null
                && (!rating.isNumber() || rating.asDouble() < 1 || rating.asDouble() > 5)) {
            return "rating";
        }
        return null;
    }

    private static boolean isText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty();
    }

    private static boolean isIsoTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static long eventTimeMillis(JsonNode e) {
        return OffsetDateTime.parse(e.get("event_time").asText()).toInstant().toEpochMilli();
    }
}
