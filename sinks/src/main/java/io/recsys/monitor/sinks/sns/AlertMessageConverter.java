package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.local.AlertLine;
import io.recsys.monitor.text.UnicodeText;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns an {@link Alert} into the SNS message a person and a subscription filter both understand:
 *
 * <ul>
 *   <li>subject: the gist at a glance, e.g. {@code [CRITICAL] recommendation-low-ctr ALARM: CTR
 *       1.52 < 2.0 (ModelVersion=v2)}, {@code [RESOLVED] ... OK: CTR 2.41 > 2.0 (...)} or, for a
 *       series that keeps changing state, {@code [P1 CRITICAL FLAPPING] ... ALARM: ...}; at most
 *       {@value #MAX_SUBJECT_LENGTH} ASCII characters without line breaks, as SNS requires (e-mail
 *       subscribers see it as the mail subject);
 *   <li>body: the whole alert as JSON, the same encoding as {@code alerts.jsonl} ({@link
 *       AlertJson});
 *   <li>String message attributes {@code alarm_name, severity, state, notification} (raised,
 *       resolved, flapping...), {@code route, model_version} (from the {@code ModelVersion}
 *       dimension), {@code action} and {@code deduplication_key}, so that subscriptions can filter
 *       (e.g. only {@code state=ALARM}, only one model version, no {@code flapping}). Attributes
 *       without a value are left out, because SNS rejects empty attribute values.
 * </ul>
 *
 * <p>{@code action} is the alert's remediation action ({@code none}, {@code trigger_retraining},
 * {@code rollback_model}, {@code scale_up}), or {@value #DEFAULT_ACTION} for an alert without one;
 * {@code priority} (P0 to P3) and {@code kind} are attributes too when the alert has them, and the
 * subject then starts with the priority, e.g. {@code [P2 CRITICAL] ...}. A composite alarm's alert,
 * which has no value of its own, shows its summary in the subject instead of numbers.
 *
 * <p>The comparison in the subject is between the two numbers as they are ({@code <}, {@code >} or
 * {@code =}), not the alarm's operator, which an alert does not carry; it is therefore true for
 * raised and resolved alerts alike.
 *
 * <p>For FIFO topics (ARN ending in {@code .fifo}) the message group is the alarm name, so that one
 * alarm's alerts keep their order, and the deduplication id is deduplication key, state and time,
 * so that a replay after a failover is dropped by SNS rather than paging twice.
 *
 * <p>An alert whose message would exceed {@value SnsAlertSinkBuilder#MAX_MESSAGE_BYTES} bytes (only
 * possible with an enormous free-text reason) has its reason cut to fit: a page with a cut reason
 * is worth more than none.
 */
public final class AlertMessageConverter implements ElementConverter<Alert, AlertMessage> {
    private static final long serialVersionUID = 1L;

    /** SNS's limit on a subject. */
    public static final int MAX_SUBJECT_LENGTH = 100;

    /** The action of an alert that names none: subscribers are only notified. */
    public static final String DEFAULT_ACTION = "notify";

    /** SNS's limit on MessageGroupId and MessageDeduplicationId. */
    static final int MAX_FIFO_ID_LENGTH = 128;

    private static final String TRUNCATED = "... [truncated]";

    private final AlertRouting routing;
    private final AlertJson json = new AlertJson();

    public AlertMessageConverter(AlertRouting routing) {
        this.routing = Objects.requireNonNull(routing, "routing");
    }

    @Override
    public AlertMessage apply(Alert alert, SinkWriter.Context context) {
        AlertMessage message = new AlertMessage();
        message.topicArn = routing.topicFor(alert);
        // Random, so that entries restored from a checkpoint never collide with new ones.
        message.batchEntryId = UUID.randomUUID().toString();
        message.subject = subject(alert);
        message.messageAttributes = attributes(alert);
        message.message = json.encode(alert);
        long excess = message.sizeInBytes() - SnsAlertSinkBuilder.MAX_MESSAGE_BYTES;
        if (excess > 0 && alert.reason != null) {
            message.message = json.encode(withShorterReason(alert, excess));
        }
        if (AlertMessage.isFifoTopic(message.topicArn)) {
            message.messageGroupId = fifoId(alert.alarmName == null ? "alert" : alert.alarmName);
            message.messageDeduplicationId =
                    fifoId(alert.deduplicationKey + ":" + alert.state + ":" + alert.time);
        }
        return message;
    }

    /** The subject line of {@code alert}: ASCII, no line breaks, at most 100 characters. */
    public static String subject(Alert alert) {
        StringBuilder s = new StringBuilder(128);
        s.append('[');
        if (alert.priority != null && !alert.priority.isEmpty()) {
            s.append(alert.priority).append(' ');
        }
        s.append(label(alert)).append("] ");
        s.append(alert.alarmName).append(' ').append(alert.state).append(": ");
        boolean composite =
                Double.isNaN(alert.value) && alert.summary != null && !alert.summary.isEmpty();
        if (composite) {
            // A composite alarm has no value of its own: its summary says what holds.
            s.append(alert.summary);
        } else {
            s.append(alert.metric).append(' ').append(AlertLine.number(alert.value));
            if (Double.isFinite(alert.value) && Double.isFinite(alert.threshold)) {
                int order = Double.compare(alert.value, alert.threshold);
                s.append(order < 0 ? " < " : order > 0 ? " > " : " = ")
                        .append(AlertLine.number(alert.threshold));
            } else {
                s.append(" (threshold ").append(AlertLine.number(alert.threshold)).append(')');
            }
        }
        if (alert.dimensions != null && !alert.dimensions.isEmpty()) {
            s.append(
                    alert.dimensions.entrySet().stream()
                            .map(d -> d.getKey() + "=" + d.getValue())
                            .collect(Collectors.joining(", ", " (", ")")));
        }
        return fitSubject(s.toString());
    }

    /** The action subscribers may take: the alert's, or {@value #DEFAULT_ACTION} if it has none. */
    static String action(Alert alert) {
        return alert.action == null || alert.action.isEmpty() ? DEFAULT_ACTION : alert.action;
    }

    private static String label(Alert alert) {
        String severity =
                alert.severity == null || alert.severity.isEmpty()
                        ? "ALERT"
                        : alert.severity.toUpperCase(Locale.ROOT);
        if ("flapping".equals(alert.notification)) {
            // Severity first: a flapping alert is routed and ranked as the alarm's severity.
            return severity + " FLAPPING";
        }
        return "OK".equals(alert.state) ? "RESOLVED" : severity;
    }

    private static TreeMap<String, String> attributes(Alert alert) {
        TreeMap<String, String> attributes = new TreeMap<>();
        put(attributes, "alarm_name", alert.alarmName);
        put(attributes, "severity", alert.severity);
        put(attributes, "state", alert.state);
        put(attributes, "notification", alert.notification);
        put(attributes, "route", alert.route);
        put(
                attributes,
                "model_version",
                alert.dimensions == null ? null : alert.dimensions.get("ModelVersion"));
        put(attributes, "action", action(alert));
        put(attributes, "priority", alert.priority);
        put(attributes, "kind", alert.kind);
        put(attributes, "deduplication_key", alert.deduplicationKey);
        return attributes;
    }

    private static void put(Map<String, String> attributes, String name, String value) {
        if (value != null && !value.isEmpty()) {
            // SNS wants valid Unicode and subscribers' filters and mail clients want no controls.
            attributes.put(name, UnicodeText.printable(value));
        }
    }

    /** SNS refuses subjects with control characters or non-ASCII text, and longer than 100. */
    static String fitSubject(String text) {
        // One replacement per UTF-16 unit: a character beyond the BMP becomes "??".
        String s =
                text.chars()
                        .map(c -> c < 0x20 || c == 0x7f ? ' ' : c > 0x7e ? '?' : c)
                        .collect(
                                StringBuilder::new,
                                StringBuilder::appendCodePoint,
                                StringBuilder::append)
                        .toString()
                        .trim();
        if (s.length() > MAX_SUBJECT_LENGTH) {
            s = s.substring(0, MAX_SUBJECT_LENGTH - 3) + "...";
        }
        return s.isEmpty() ? "[ALERT]" : s;
    }

    /**
     * A FIFO group or deduplication id: the text itself when SNS accepts it (1 to 128 printable
     * ASCII characters), else its SHA-256 in hex, which is stable, so that deduplication still
     * works.
     */
    static String fifoId(String text) {
        if (!text.isEmpty()
                && text.length() <= MAX_FIFO_ID_LENGTH
                && text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return text;
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format(Locale.ROOT, "%064x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static Alert withShorterReason(Alert alert, long excessBytes) {
        Alert copy = alert.copy();
        // Counted in bytes of the escaped JSON would be exact; characters over-cut safely, since
        // every character is at least one byte.
        int keep = (int) Math.max(0, alert.reason.length() - excessBytes - TRUNCATED.length() - 16);
        if (keep > 0 && Character.isHighSurrogate(alert.reason.charAt(keep - 1))) {
            keep--;
        }
        copy.reason = alert.reason.substring(0, keep) + TRUNCATED;
        return copy;
    }
}
