package io.recsys.monitor.sinks.deadletter;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One dead letter ready to be sent: an SQS message (body and String attributes) or a Kinesis record
 * (data and partition key). It is the request entry of {@link DeadLetterSink}, buffered by the
 * writer and kept in checkpoints, so it holds plain strings and nothing of the SDK.
 */
public class DeadLetterEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Unique within a request (SQS matches its per-entry results to the request by this id). */
    public String entryId;

    /** SQS: the raw line; Kinesis: the JSON envelope. */
    public String body;

    /** SQS message attributes, by name; never an empty value. Empty for Kinesis. */
    public TreeMap<String, String> attributes = new TreeMap<>();

    /** Kinesis only, else null. */
    public String partitionKey;

    /** Sends so far that failed for a passing reason; not kept in checkpoints. */
    transient int attempts;

    public DeadLetterEntry() {}

    /**
     * What this entry counts against its service's limits: the UTF-8 bytes of body, partition key
     * and each attribute's name, type ({@code String}) and value.
     */
    public long sizeInBytes() {
        long size = utf8Length(body) + utf8Length(partitionKey);
        if (attributes != null) {
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                size += attributeSize(a.getKey(), a.getValue());
            }
        }
        return size;
    }

    static long attributeSize(String name, String value) {
        return utf8Length(name) + STRING_TYPE_BYTES + utf8Length(value);
    }

    private static final int STRING_TYPE_BYTES = "String".length();

    static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetterEntry)) {
            return false;
        }
        DeadLetterEntry that = (DeadLetterEntry) o;
        return Objects.equals(entryId, that.entryId)
                && Objects.equals(body, that.body)
                && Objects.equals(attributes, that.attributes)
                && Objects.equals(partitionKey, that.partitionKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entryId, partitionKey);
    }

    @Override
    public String toString() {
        return "DeadLetterEntry{" + entryId + ", " + sizeInBytes() + " bytes}";
    }
}
