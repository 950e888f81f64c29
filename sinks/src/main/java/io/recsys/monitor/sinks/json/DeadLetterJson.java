package io.recsys.monitor.sinks.json;

import io.recsys.monitor.model.DeadLetter;

/**
 * Writes a {@link DeadLetter} as one JSON line, the format of {@code dead-letter.jsonl}: {@code
 * reason, category, raw, source, received_at}, and {@code raw_base64} when the input's bytes were
 * not UTF-8 (see {@link DeadLetter#rawBase64}). The raw input is kept as a JSON string, so even a
 * multi-line or binary-looking input stays on one escaped line; {@code received_at} is ISO-8601 UTC
 * with milliseconds.
 */
public final class DeadLetterJson implements RecordEncoder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public String encode(DeadLetter deadLetter) {
        return JsonFields.write(deadLetter);
    }

    /**
     * Reads a line written by {@link #encode} back into a dead letter, for tests and tools that
     * check {@code dead-letter.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static DeadLetter decode(String line) {
        return JsonFields.read(line, DeadLetter.class, "dead letter", "received_at");
    }
}
