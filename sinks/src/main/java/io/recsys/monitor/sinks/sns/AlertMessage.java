package io.recsys.monitor.sinks.sns;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert ready for an SNS {@code PublishBatch} entry: the topic it goes to, the entry's id in
 * its batch, subject, body and message attributes, all as plain strings. It is the request entry of
 * {@link SnsAlertSink}, buffered by the writer and kept in checkpoints, so it holds nothing of the
 * SDK (whose request types are neither serializable nor stable across versions).
 */
public class AlertMessage implements Serializable {
    private static final long serialVersionUID = 1L;

    public String topicArn;

    /** Unique within a request (SNS matches its per-entry results to the request by this id). */
    public String batchEntryId;

    public String subject;

    /** The whole alert as JSON. */
    public String message;

    /** String-typed message attributes, by name; never an empty value (SNS rejects those). */
    public TreeMap<String, String> messageAttributes = new TreeMap<>();

    /** Only for FIFO topics, else null. */
    public String messageGroupId;

    /** Only for FIFO topics, else null. */
    public String messageDeduplicationId;

    public AlertMessage() {}

    /** Whether this message goes to a FIFO topic, whose ARN ends with {@code .fifo}. */
    public static boolean isFifoTopic(String topicArn) {
        return topicArn != null && topicArn.endsWith(".fifo");
    }

    /**
     * What this message counts against SNS's 256 KiB limits: the UTF-8 bytes of body, subject and
     * each attribute's name, type ({@code String}) and value. SNS documents that body and
     * attributes count; the subject is added to stay on the safe side of a limit that fails the
     * whole entry.
     */
    public long sizeInBytes() {
        long size = utf8Length(message) + utf8Length(subject);
        if (messageAttributes == null) {
            return size;
        }
        for (Map.Entry<String, String> attribute : messageAttributes.entrySet()) {
            size +=
                    utf8Length(attribute.getKey())
                            + STRING_TYPE_BYTES
                            + utf8Length(attribute.getValue());
        }
        return size;
    }

    private static final int STRING_TYPE_BYTES = "String".length();

    static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertMessage)) {
            return false;
        }
        AlertMessage that = (AlertMessage) o;
        return Objects.equals(topicArn, that.topicArn)
                && Objects.equals(batchEntryId, that.batchEntryId)
                && Objects.equals(subject, that.subject)
                && Objects.equals(message, that.message)
                && Objects.equals(messageAttributes, that.messageAttributes)
                && Objects.equals(messageGroupId, that.messageGroupId)
                && Objects.equals(messageDeduplicationId, that.messageDeduplicationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topicArn, batchEntryId);
    }

    @Override
    public String toString() {
        return "AlertMessage{" + batchEntryId + " -> " + topicArn + ": " + subject + "}";
    }
}
