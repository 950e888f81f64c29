package io.recsys.monitor.operators.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The smallest valid events of the contract (docs/events.md), for tests to vary field by field. */
final class ContractEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractEvents() {}

    static ObjectNode prediction() {
        ObjectNode event = JSON.createObjectNode();
        event.put("event_type", "prediction");
        event.put("request_id", "req-1");
        event.put("event_time", "2026-01-01T10:00:00.123Z");
        event.put("user_id", "user-42");
        event.put("model_version", "ranker-v7");
        event.put("latency_ms", 23.5);
        return event;
    }

    static ObjectNode feedback(String action) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event_type", "feedback");
        event.put("request_id", "req-1");
        event.put("event_time", "2026-01-01T10:00:00.123Z");
        event.put("user_id", "user-42");
        event.put("item_id", "sku-1");
        event.put("action", action);
        return event;
    }
}
