package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.DeadLetter;

/**
 * Writes a {@link DeadLetter} as one JSON line, the format of {@code dead-letter.jsonl}: {@code
 * reason, category, raw, source, received_at}, and {@code raw_base64} when the input's bytes were
 * not UTF-8 (see {@link DeadLetter#rawBase64}). The raw input is kept as a JSON string, so even a
 * multi-line or binary-looking input stays on one escaped line; {@code received_at} is ISO-8601 UTC
 * with milliseconds.
 *
 * <p>An instance is used by one writer thread; its {@link ObjectMapper} is created lazily after
 * deserialization on the task manager.
 */
public final class DeadLetterJson implements RecordEncoder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;

    @Override
    public String encode(DeadLetter deadLetter) {
        ObjectMapper json = mapper();
        ObjectNode node = json.createObjectNode();
        node.put("reason", deadLetter.reason);
        node.put("category", deadLetter.category);
        node.put("raw", deadLetter.raw);
        if (deadLetter.rawBase64 != null) {
            node.put("raw_base64", deadLetter.rawBase64);
        }
        node.put("source", deadLetter.source);
        JsonFields.putTime(node, "received_at", deadLetter.receivedAt);
        return JsonFields.write(json, node);
    }

    /**
     * Reads a line written by {@link #encode} back into a dead letter, for tests and tools that
     * check {@code dead-letter.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static DeadLetter decode(String line) {
        JsonNode node = JsonFields.read(line, "dead letter");
        DeadLetter deadLetter = new DeadLetter();
        deadLetter.reason = JsonFields.text(node, "reason");
        deadLetter.category = JsonFields.text(node, "category");
        deadLetter.raw = JsonFields.text(node, "raw");
        deadLetter.rawBase64 = JsonFields.text(node, "raw_base64");
        deadLetter.source = JsonFields.text(node, "source");
        deadLetter.receivedAt = JsonFields.time(node, "received_at");
        return deadLetter;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonFields.newMapper();
        }
        return mapper;
    }
}
