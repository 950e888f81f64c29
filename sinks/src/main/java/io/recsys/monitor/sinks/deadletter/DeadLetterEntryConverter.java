package io.recsys.monitor.sinks.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DeadLetterEventTime;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns a {@link DeadLetter} into what its destination keeps:
 *
 * <ul>
 *   <li>SQS: the raw line as the message body, and String attributes {@code category}, {@code
 *       reason}, {@code source}, {@code received_at} (ISO-8601 UTC), {@code event_time} when the
 *       raw line names one that can be read ({@link DeadLetterEventTime}), {@code raw_bytes} (UTF-8
 *       length of the raw line as the job kept it), {@code raw_base64} when the input was not valid
 *       UTF-8 (see {@link DeadLetter#rawBase64}), {@code replaced_characters} when the line held
 *       characters SQS does not carry (control characters other than tab and line breaks, lone
 *       surrogates), which the body shows as U+FFFD. An empty line is sent as {@value #EMPTY_BODY},
 *       because SQS rejects an empty body; its {@code raw_bytes} is 0.
 *   <li>Kinesis: the JSON envelope {@code {category, reason, source, received_at, event_time?, raw,
 *       raw_bytes, raw_base64?, truncated?}} as the record's data, with a partition key hashed from
 *       source, time and line, so that records spread over the shards and the same dead letter
 *       always gets the same key.
 * </ul>
 *
 * <p>A dead letter that would exceed the destination's limit on one entry (only possible with a
 * large {@code dead-letter.max-raw-chars}) loses {@code raw_base64} first and then the end of its
 * raw line, and says so: attribute or field {@code truncated=true}. A cut never splits a character.
 * {@code reason} and {@code source} are cut to {@value #MAX_ATTRIBUTE_CHARS} characters.
 */
public final class DeadLetterEntryConverter
        implements ElementConverter<DeadLetter, DeadLetterEntry> {
    private static final long serialVersionUID = 1L;

    /** The body of an SQS message for an empty raw line (SQS needs at least one character). */
    public static final String EMPTY_BODY = "(empty)";

    /** Longest reason or source kept; both are the job's own short texts or a path. */
    static final int MAX_ATTRIBUTE_CHARS = 1024;

    private static final String UNKNOWN = "unknown";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeadLetterDestination destination;
    private final long maxEntryBytes;

    public DeadLetterEntryConverter(DeadLetterDestination destination, long maxEntryBytes) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public DeadLetterEntry apply(DeadLetter deadLetter, SinkWriter.Context context) {
        return destination == DeadLetterDestination.SQS
                ? sqsMessage(deadLetter, maxEntryBytes)
                : kinesisRecord(deadLetter, maxEntryBytes);
    }

    /** The SQS message of {@code d}, at most {@code maxBytes} with its attributes. */
    public static DeadLetterEntry sqsMessage(DeadLetter d, long maxBytes) {
        DeadLetterEntry entry = new DeadLetterEntry();
        // Random, so that entries restored from a checkpoint never collide with new ones.
        entry.entryId = UUID.randomUUID().toString();
        String raw = d.raw == null ? "" : d.raw;
        int[] replaced = new int[1];
        String body = sqsText(raw, replaced);
        TreeMap<String, String> attributes = new TreeMap<>();
        attributes.put("category", attributeValue(d.category));
        attributes.put("reason", attributeValue(d.reason));
        attributes.put("source", attributeValue(d.source));
        attributes.put("received_at", Instant.ofEpochMilli(d.receivedAt).toString());
        eventTime(d).ifPresent(t -> attributes.put("event_time", t));
        attributes.put("raw_bytes", Long.toString(DeadLetterEntry.utf8Length(raw)));
        if (replaced[0] > 0) {
            attributes.put("replaced_characters", Integer.toString(replaced[0]));
        }
        if (d.rawBase64 != null && !d.rawBase64.isEmpty()) {
            attributes.put("raw_base64", d.rawBase64);
        }
        entry.attributes = attributes;
        entry.body = body.isEmpty() ? EMPTY_BODY : body;
        if (entry.sizeInBytes() > maxBytes) {
            attributes.remove("raw_base64");
            attributes.put("truncated", "true");
            long budget = maxBytes - entry.sizeInBytes() + DeadLetterEntry.utf8Length(entry.body);
            entry.body = cutToUtf8Bytes(entry.body, Math.max(0, budget));
            if (entry.body.isEmpty()) {
                entry.body = EMPTY_BODY.substring(0, 1);
            }
        }
        return entry;
    }

    /** The Kinesis record of {@code d}, at most {@code maxBytes} with its partition key. */
    public static DeadLetterEntry kinesisRecord(DeadLetter d, long maxBytes) {
        DeadLetterEntry entry = new DeadLetterEntry();
        entry.entryId = UUID.randomUUID().toString();
        String raw = d.raw == null ? "" : d.raw;
        entry.partitionKey = partitionKey(d);
        long budget = maxBytes - DeadLetterEntry.utf8Length(entry.partitionKey);
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("category", d.category == null ? UNKNOWN : d.category);
        envelope.put("reason", cut(d.reason == null ? "" : d.reason, MAX_ATTRIBUTE_CHARS));
        envelope.put("source", cut(d.source == null ? UNKNOWN : d.source, MAX_ATTRIBUTE_CHARS));
        envelope.put("received_at", Instant.ofEpochMilli(d.receivedAt).toString());
        eventTime(d).ifPresent(t -> envelope.put("event_time", t));
        envelope.put("raw", raw);
        envelope.put("raw_bytes", DeadLetterEntry.utf8Length(raw));
        if (d.rawBase64 != null && !d.rawBase64.isEmpty()) {
            envelope.put("raw_base64", d.rawBase64);
        }
        String json = write(envelope);
        if (DeadLetterEntry.utf8Length(json) > budget) {
            envelope.remove("raw_base64");
            envelope.put("truncated", true);
            // Escapes make the JSON's length a step function of the line's: search the longest
            // prefix that fits.
            int lo = 0;
            int hi = raw.length();
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                envelope.put("raw", prefix(raw, mid));
                if (DeadLetterEntry.utf8Length(write(envelope)) <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            envelope.put("raw", prefix(raw, lo));
            json = write(envelope);
        }
        entry.body = json;
        return entry;
    }

    /**
     * A key that spreads records over shards (Kinesis hashes it with MD5) and is the same for the
     * same dead letter in every run: 64-bit FNV-1a of source, time and raw line, in hex.
     */
    static String partitionKey(DeadLetter d) {
        long hash = 0xcbf29ce484222325L;
        String text = d.source + '\n' + d.receivedAt + '\n' + d.raw;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return String.format("%016x", hash);
    }

    /**
     * {@code text} with each character SQS does not accept in a message (anything but tab, line
     * feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF) replaced
     * by U+FFFD; {@code replaced[0]} counts them.
     */
    static String sqsText(String text, int[] replaced) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean allowed =
                    cp == 0x9
                            || cp == 0xA
                            || cp == 0xD
                            || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD)
                            || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (!allowed && out == null) {
                out = new StringBuilder(text.length());
                out.append(text, 0, i);
            }
            if (out != null) {
                if (allowed) {
                    out.appendCodePoint(cp);
                } else {
                    out.append('\uFFFD');
                    replaced[0]++;
                }
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes. */
    static String cutToUtf8Bytes(String text, long maxBytes) {
        long bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return text;
    }

    /** The first {@code chars} characters of {@code text}, one fewer if that splits a pair. */
    static String prefix(String text, int chars) {
        int end = Math.min(chars, text.length());
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The event time the raw line names, ISO-8601 UTC, if it can be read. */
    private static java.util.Optional<String> eventTime(DeadLetter d) {
        OptionalLong time;
        try {
            time = DeadLetterEventTime.of(d);
        } catch (RuntimeException e) {
            // A hint only: a line too broken to read it from has none.
            return java.util.Optional.empty();
        }
        if (time.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Instant.ofEpochMilli(time.getAsLong()).toString());
        } catch (java.time.DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String attributeValue(String text) {
        String value = sqsText(cut(text == null ? "" : text, MAX_ATTRIBUTE_CHARS), new int[1]);
        // SQS rejects an empty attribute value.
        return value.isEmpty() ? UNKNOWN : value;
    }

    private static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : prefix(text, maxChars);
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
