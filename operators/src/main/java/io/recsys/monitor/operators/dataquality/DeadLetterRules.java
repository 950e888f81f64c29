package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DeadLetter;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which contract rule a dead letter broke from its category and the field its reason names
 * (the parser names every field, e.g. {@code field 'recommendations[2].price' must be a number >
 * 0}): a validity rule the parser enforces by rejecting the event, or a required field that was
 * missing. Pure Java.
 */
public final class DeadLetterRules {
    /** Validity rules the parser enforces by rejecting the event (category invalid_value). */
    public static final String PRICE_POSITIVE = "price_positive";

    public static final String RATING_IN_RANGE = "rating_in_range";
    public static final String SCORE_FINITE = "score_finite";
    public static final String LATENCY_NON_NEGATIVE = "latency_non_negative";
    public static final String KNOWN_ACTION = "known_action";
    public static final String KNOWN_STATUS = "known_status";
    public static final String ORDER_VALUE_POSITIVE = "order_value_positive";

    /** Every rule the parser enforces, reported every window (zero included). */
    public static final List<String> REJECTING_RULES =
            Collections.unmodifiableList(
                    Arrays.asList(
                            PRICE_POSITIVE,
                            RATING_IN_RANGE,
                            SCORE_FINITE,
                            LATENCY_NON_NEGATIVE,
                            KNOWN_ACTION,
                            KNOWN_STATUS,
                            ORDER_VALUE_POSITIVE));

    /** The required fields of docs/events.md, reported every window (zero included). */
    public static final List<String> REQUIRED_FIELDS =
            Collections.unmodifiableList(
                    Arrays.asList(
                            "event_type",
                            "request_id",
                            "event_time",
                            "user_id",
                            "model_version",
                            "latency_ms",
                            "recommendations[].item_id",
                            "item_id",
                            "action",
                            "order_value"));

    /** The dead-letter categories of the parser, reported every window (zero included). */
    public static final List<String> CATEGORIES =
            Collections.unmodifiableList(
                    Arrays.asList(
                            DeadLetter.Reason.INVALID_JSON.category(),
                            DeadLetter.Reason.MISSING_FIELD.category(),
                            DeadLetter.Reason.WRONG_TYPE.category(),
                            DeadLetter.Reason.INVALID_VALUE.category(),
                            DeadLetter.Reason.LIMIT_EXCEEDED.category(),
                            DeadLetter.Reason.UNKNOWN_EVENT_TYPE.category(),
                            DeadLetter.Reason.TIME_OUT_OF_RANGE.category()));

    /** Category of a dead letter whose category is not one of {@link #CATEGORIES}. */
    public static final String OTHER = "other";

    private static final Pattern FIELD = Pattern.compile("field '([^']{1,200})'");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

    private DeadLetterRules() {}

    /** The category as a bounded dimension value: a known category or {@link #OTHER}. */
    public static String category(DeadLetter deadLetter) {
        return CATEGORIES.contains(deadLetter.category) ? deadLetter.category : OTHER;
    }

    /**
     * The field a reason names, with list indexes dropped ({@code recommendations[].price}), or
     * {@code null}.
     */
    public static String field(DeadLetter deadLetter) {
        if (deadLetter.reason == null) {
            return null;
        }
        Matcher m = FIELD.matcher(deadLetter.reason);
        return m.find() ? INDEX.matcher(m.group(1)).replaceAll("[]") : null;
    }

    /** The validity rule a rejected value broke, or {@code null} for other rejections. */
    public static String brokenRule(DeadLetter deadLetter) {
        if (!DeadLetter.Reason.INVALID_VALUE.category().equals(deadLetter.category)) {
            return null;
        }
        String field = field(deadLetter);
        if (field == null) {
            return null;
        }
        switch (field) {
            case "recommendations[].price":
                return PRICE_POSITIVE;
            case "rating":
                return RATING_IN_RANGE;
            case "recommendations[].score":
                return SCORE_FINITE;
            case "latency_ms":
                return LATENCY_NON_NEGATIVE;
            case "action":
                return KNOWN_ACTION;
            case "status":
                return KNOWN_STATUS;
            case "order_value":
                return ORDER_VALUE_POSITIVE;
            default:
                return null;
        }
    }

    /** The required field a dead letter lacked, or {@code null}. */
    public static String missingField(DeadLetter deadLetter) {
        if (!DeadLetter.Reason.MISSING_FIELD.category().equals(deadLetter.category)) {
            return null;
        }
        String field = field(deadLetter);
        return REQUIRED_FIELDS.contains(field) ? field : null;
    }
}
