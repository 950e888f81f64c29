package io.recsys.monitor.operators.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DeadLetter.Reason;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.text.UnicodeText;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one raw event (a line of a file, a Kinesis record) into a {@link PredictionEvent}, a {@link
 * FeedbackEvent} or a {@link DeadLetter} that names the broken field, following the contract in
 * docs/events.md. It never throws for bad input: a producer's mistake must cost one dead letter,
 * never a restart of the job.
 *
 * <p>An event is read in one of two ways. First a {@link StreamingEventReader} reads it token by
 * token straight into its record; it accepts only events it is sure are valid, which is nearly all
 * of them, and gives up on anything else without building a message. Then, for what it gave up on,
 * the tree path reads a Jackson tree and walks it; it is the one reference for rejections and their
 * reasons, and gives the same record as the streaming reader for every event both accept.
 *
 * <p>On the tree path checks run in a fixed order and the first failure wins: size (before any JSON
 * is read), UTF-8 (bytes only), JSON syntax, well-formed UTF-16 of every key and string, {@code
 * event_type}, then the fields in the order of the contract. Fields that become metric dimensions
 * or console text also follow {@link UnicodeText#dimensionProblem}.
 *
 * <p>Reasons quote a producer's text through {@link UnicodeText#printable}, so a reason can be
 * logged or printed whatever the input held.
 *
 * <p>Pure Java, no Flink types, so that it is tested directly. One instance may be shared by the
 * threads of a task: the Jackson reader and factory are thread-safe, each parse has its own parser,
 * and their lazy creation is an idempotent race.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longest piece of a producer's value quoted back in a reason. */
    private static final int MAX_QUOTED_CHARS = 64;

    private final EventLimits limits;

    /** False only in tests that need the tree path alone, as the reference. */
    private final boolean streaming;

    // Jackson's reader is not serializable; each task builds its own after deployment.
    private transient ObjectReader reader;

    private transient StreamingEventReader streamingReader;

    public EventParser(EventLimits limits) {
        this(limits, true);
    }

    private EventParser(EventLimits limits, boolean streaming) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.streaming = streaming;
    }

    /** A parser that reads every event through the tree: the reference the tests compare with. */
    static EventParser treeOnly(EventLimits limits) {
        return new EventParser(limits, false);
    }

    public EventLimits limits() {
        return limits;
    }

    /** Parses a UTF-8 encoded event, as Kinesis delivers it; never throws for bad input. */
    public InputRecord parse(byte[] utf8, String source, long receivedAtMillis) {
        return parse(
                utf8 == null ? null : new RawLine(utf8, utf8.length), source, receivedAtMillis);
    }

    /**
     * Parses one line of a file as the file reader hands it over: its bytes, or only the first of
     * them when the line is longer than the reader keeps, which is always past the size limit.
     */
    public InputRecord parse(RawLine line, String source, long receivedAtMillis) {
        if (line == null || line.bytes == null) {
            return emptyInput(source, receivedAtMillis);
        }
        return parse(line.bytes, line.length, source, receivedAtMillis);
    }

    /**
     * Parses {@code utf8}, which holds the whole event when {@code length} is its length, or only
     * its first bytes when {@code length} is larger.
     */
    private InputRecord parse(byte[] utf8, long length, String source, long receivedAtMillis) {
        // A byte-order mark is no part of the JSON; some editors and SDKs write one anyway.
        int from = UnicodeText.startsWithBom(utf8, utf8.length) ? UnicodeText.bomLength() : 0;
        long size = length - from;
        // A line the reader cut is past the limit by construction (see RawLine).
        if (size > limits.maxEventBytes() || length > utf8.length) {
            return bytesDeadLetter(
                    Reason.LIMIT_EXCEEDED,
                    sizeReason(size),
                    utf8,
                    from,
                    length,
                    source,
                    receivedAtMillis);
        }
        int to = utf8.length;
        int invalid = UnicodeText.invalidUtf8At(utf8, from, to);
        if (invalid != UnicodeText.VALID) {
            return bytesDeadLetter(
                    Reason.INVALID_JSON,
                    "invalid JSON: byte "
                            + (invalid - from)
                            + " (0x"
                            + String.format("%02x", utf8[invalid] & 0xFF)
                            + ") is not valid UTF-8",
                    utf8,
                    from,
                    length,
                    source,
                    receivedAtMillis);
        }
        if (streaming) {
            InputRecord record = streamingReader().read(utf8, from, to - from);
            if (record != null) {
                return record;
            }
        }
        try {
            // Reading the bytes directly spares decoding into a String that would only be
            // thrown away.
            return fromTree(reader().readTree(utf8, from, to - from));
        } catch (Rejected r) {
            return bytesDeadLetter(
                    r.reason, r.getMessage(), utf8, from, length, source, receivedAtMillis);
        } catch (IOException | RuntimeException e) {
            return unreadable(e, decode(utf8, from, length), source, receivedAtMillis);
        }
    }

    private InputRecord emptyInput(String source, long receivedAtMillis) {
        return deadLetter(
                Reason.INVALID_JSON, "invalid JSON: empty input", "", source, receivedAtMillis);
    }

    /** Parses an event held as text, e.g. a line of a file; never throws for bad input. */
    public InputRecord parse(String raw, String source, long receivedAtMillis) {
        if (raw == null) {
            return emptyInput(source, receivedAtMillis);
        }
        // A char is at most 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars), so short
        // events skip the count.
        if ((long) raw.length() * 3 > limits.maxEventBytes()) {
            long bytes = utf8Length(raw);
            if (bytes > limits.maxEventBytes()) {
                return deadLetter(
                        Reason.LIMIT_EXCEEDED, sizeReason(bytes), raw, source, receivedAtMillis);
            }
        }
        if (streaming) {
            InputRecord record = streamingReader().read(raw);
            if (record != null) {
                return record;
            }
        }
        try {
            return fromTree(reader().readTree(raw));
        } catch (Rejected r) {
            return deadLetter(r.reason, r.getMessage(), raw, source, receivedAtMillis);
        } catch (IOException | RuntimeException e) {
            return unreadable(e, raw, source, receivedAtMillis);
        }
    }

    private InputRecord fromTree(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw new Rejected(Reason.INVALID_JSON, "invalid JSON: empty input");
        }
        if (!root.isObject()) {
            throw new Rejected(
                    Reason.INVALID_JSON,
                    "invalid JSON: an event must be a JSON object, got " + typeName(root));
        }
        wellFormed(root);
        String eventType = requiredText(root, "event_type");
        if ("prediction".equals(eventType)) {
            return InputRecord.of(prediction(root));
        }
        if ("feedback".equals(eventType)) {
            return InputRecord.of(feedback(root));
        }
        throw new Rejected(
                Reason.UNKNOWN_EVENT_TYPE,
                "unknown event_type " + quote(eventType) + " (expected prediction or feedback)");
    }

    private PredictionEvent prediction(JsonNode root) {
        PredictionEvent event = new PredictionEvent();
        event.requestId = requiredNonEmptyText(root, "request_id");
        event.eventTime = eventTime(root);
        event.userId = requiredText(root, "user_id");
        String segment = optionalText(root, "user_segment");
        if (segment != null) {
            event.userSegment = dimension("user_segment", segment);
        }
        event.modelVersion =
                dimension("model_version", requiredNonEmptyText(root, "model_version"));
        event.latencyMs = requiredNumber(root, "latency_ms");
        if (event.latencyMs < 0) {
            throw invalid("latency_ms", "must be a number >= 0", root.get("latency_ms"));
        }
        String status = optionalText(root, "status");
        if (status == null || "ok".equals(status)) {
            event.error = false;
        } else if ("error".equals(status)) {
            event.error = true;
        } else {
            throw invalid("status", "must be 'ok' or 'error'", quote(status));
        }
        String errorType = optionalText(root, "error_type");
        if (errorType != null) {
            dimension("error_type", errorType);
        }
        // The model keeps an error class only for failed responses.
        event.errorType = event.error ? errorType : null;
        event.recommendations = recommendations(root);
        features(root, event);
        return event;
    }

    private ArrayList<RecommendedItem> recommendations(JsonNode root) {
        JsonNode items = root.get("recommendations");
        if (items == null || items.isNull()) {
            return new ArrayList<>();
        }
        if (!items.isArray()) {
            throw wrongType("recommendations", "an array", items);
        }
        int count = items.size();
        if (count > limits.maxRecommendations()) {
            throw new Rejected(
                    Reason.LIMIT_EXCEEDED,
                    "field 'recommendations' has "
                            + count
                            + " items, limit is "
                            + limits.maxRecommendations());
        }
        ArrayList<RecommendedItem> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                list.add(item(items.get(i)));
            } catch (Rejected r) {
                // The item's path is built only here, so valid events never pay for it.
                throw r.within("recommendations[" + i + "]");
            }
        }
        return list;
    }

    /** One recommendation; a rejection names the field relative to the item. */
    private static RecommendedItem item(JsonNode node) {
        if (!node.isObject()) {
            throw new Rejected(
                    Reason.WRONG_TYPE, "field ", "", " must be an object, got " + typeName(node));
        }
        RecommendedItem item = new RecommendedItem();
        item.itemId = requiredNonEmptyText(node, "item_id");
        item.score = optionalNumber(node, "score");
        item.category = optionalText(node, "category");
        item.price = optionalNumber(node, "price");
        if (item.price <= 0) {
            throw invalid("price", "must be a number > 0", node.get("price"));
        }
        return item;
    }

    /**
     * {@code value}, checked as a value that becomes a metric dimension or console text.
     *
     * @throws Rejected when it breaks {@link UnicodeText#dimensionProblem}
     */
    private String dimension(String field, String value) {
        String problem = UnicodeText.dimensionProblem(value, limits.maxDimensionChars());
        if (problem != null) {
            throw invalid(field, problem);
        }
        return value;
    }

    /**
     * Rejects the first key or string, in document order, that is not well-formed UTF-16: a lone
     * surrogate escape is valid JSON syntax but no character, which no output can encode and on
     * which key hashing is not stable.
     */
    private static void wellFormed(JsonNode node) {
        if (node.isTextual()) {
            int at = UnicodeText.loneSurrogateAt(node.textValue());
            if (at != UnicodeText.VALID) {
                throw invalid("", loneSurrogate(node.textValue(), at));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                int at = UnicodeText.loneSurrogateAt(name);
                if (at != UnicodeText.VALID) {
                    throw invalid(shortText(name), "has a name that " + loneSurrogate(name, at));
                }
                try {
                    wellFormed(field.getValue());
                } catch (Rejected r) {
                    throw r.within(shortText(name));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                try {
                    wellFormed(node.get(i));
                } catch (Rejected r) {
                    throw r.within("[" + i + "]");
                }
            }
        }
    }

    private static String loneSurrogate(String text, int at) {
        return "must be well-formed UTF-16, got a lone surrogate "
                + UnicodeText.codePoint(text.charAt(at))
                + " at index "
                + at;
    }

    private void features(JsonNode root, PredictionEvent event) {
        JsonNode features = root.get("features");
        if (features == null || features.isNull()) {
            return;
        }
        if (!features.isObject()) {
            throw wrongType("features", "an object", features);
        }
        int count = features.size();
        if (count > limits.maxFeatures()) {
            throw new Rejected(
                    Reason.LIMIT_EXCEEDED,
                    "field 'features' has " + count + " entries, limit is " + limits.maxFeatures());
        }
        HashMap<String, Double> numeric = new HashMap<>(capacityFor(count));
        HashMap<String, String> categorical = new HashMap<>();
        ArrayList<String> nulls = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : features.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String nameProblem = UnicodeText.dimensionProblem(name, limits.maxDimensionChars());
            if (nameProblem != null) {
                throw invalid(
                        "features", "has a feature name that " + nameProblem + ": " + quote(name));
            }
            if (value.isNumber()) {
                double number = value.doubleValue();
                if (!Double.isFinite(number)) {
                    throw invalid(shortText(name), "must be a finite number", value)
                            .within("features");
                }
                numeric.put(name, number);
            } else if (value.isTextual()) {
                String problem =
                        UnicodeText.categoryProblem(value.textValue(), limits.maxDimensionChars());
                if (problem != null) {
                    throw invalid(shortText(name), problem).within("features");
                }
                categorical.put(name, value.textValue());
            } else if (value.isBoolean()) {
                categorical.put(name, value.booleanValue() ? "true" : "false");
            } else if (value.isNull()) {
                nulls.add(name);
            } else {
                throw wrongType(shortText(name), "a number, string, boolean or null", value)
                        .within("features");
            }
        }
        event.numericFeatures = numeric;
        event.categoricalFeatures = categorical;
        event.nullFeatures = nulls;
    }

    private static FeedbackEvent feedback(JsonNode root) {
        FeedbackEvent event = new FeedbackEvent();
        event.requestId = requiredNonEmptyText(root, "request_id");
        event.eventTime = eventTime(root);
        event.userId = requiredText(root, "user_id");
        event.itemId = requiredNonEmptyText(root, "item_id");
        String action = requiredText(root, "action");
        event.action = FeedbackAction.fromWireName(action);
        if (event.action == null) {
            throw invalid(
                    "action",
                    "must be one of impression, click, add_to_cart, purchase",
                    quote(action));
        }
        double orderValue = optionalNumber(root, "order_value");
        if (orderValue <= 0) {
            throw invalid("order_value", "must be a number > 0", root.get("order_value"));
        }
        if (event.action == FeedbackAction.PURCHASE) {
            if (Double.isNaN(orderValue)) {
                throw new Rejected(
                        Reason.MISSING_FIELD,
                        "missing required field ",
                        "order_value",
                        " (required for a purchase)");
            }
            event.orderValue = orderValue;
        }
        // On other actions the value was validated and is dropped: revenue metrics must not
        // count a value that a producer attached to a click.
        double rating = optionalNumber(root, "rating");
        if (rating < 1 || rating > 5) {
            throw invalid("rating", "must be a number in [1, 5]", root.get("rating"));
        }
        event.rating = rating;
        return event;
    }

    /** ISO-8601 with an offset, or integer epoch milliseconds >= 0. */
    private static long eventTime(JsonNode root) {
        JsonNode node = root.get("event_time");
        if (node == null || node.isNull()) {
            throw missing("event_time");
        }
        if (node.isNumber()) {
            if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
                throw invalid(
                        "event_time",
                        "must be integer epoch milliseconds >= 0 or ISO-8601 with an offset",
                        node);
            }
            return node.longValue();
        }
        if (!node.isTextual()) {
            throw wrongType(
                    "event_time", "an ISO-8601 string or a number of epoch milliseconds", node);
        }
        String text = node.textValue();
        long fast = utcMillis(text);
        if (fast != NOT_FAST) {
            return fast;
        }
        try {
            // ISO_OFFSET_DATE_TIME rejects a time without offset: its zone would be a guess.
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw invalid(
                    "event_time",
                    "must be ISO-8601 with an offset (e.g. 2026-01-01T10:00:00.123Z)"
                            + " or integer epoch milliseconds",
                    quote(text));
        }
    }

    /** What {@link #utcMillis} returns for a text it leaves to the formatter. */
    static final long NOT_FAST = Long.MIN_VALUE;

    private static final int[] DIGITS_AT = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    /**
     * The epoch milliseconds of the form producers send nearly always, {@code
     * yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a year from 1970, read without the {@link
     * DateTimeFormatter} (which costs about a microsecond an event); {@link #NOT_FAST} for any
     * other text, valid or not, so that the formatter decides it as before. A date that does not
     * exist (February 30) and a second 60 go to the formatter too, which rejects them.
     */
    static long utcMillis(String text) {
        int length = text.length();
        if (length < 20
                || length > 30
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return NOT_FAST;
        }
        for (int i : DIGITS_AT) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_FAST;
            }
        }
        int fraction = 0;
        int fractionDigits = length - 21;
        if (fractionDigits > 0) {
            if (text.charAt(19) != '.') {
                return NOT_FAST;
            }
            for (int i = 20; i < length - 1; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return NOT_FAST;
                }
                // Milliseconds: the first three digits; the rest truncate, as toEpochMilli does.
                if (i < 23) {
                    fraction = fraction * 10 + (c - '0');
                }
            }
            for (int d = Math.min(fractionDigits, 3); d < 3; d++) {
                fraction *= 10;
            }
        } else if (length != 20) {
            return NOT_FAST;
        }
        // The digits were checked above, so these cannot throw.
        int year = Integer.parseInt(text, 0, 4, 10);
        int month = Integer.parseInt(text, 5, 7, 10);
        int day = Integer.parseInt(text, 8, 10, 10);
        int hour = Integer.parseInt(text, 11, 13, 10);
        int minute = Integer.parseInt(text, 14, 16, 10);
        int second = Integer.parseInt(text, 17, 19, 10);
        if (year < 1970
                || month < 1
                || month > 12
                || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()
                || hour > 23
                || minute > 59
                || second > 59) {
            return NOT_FAST;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + fraction;
    }

    private static String requiredText(JsonNode object, String field) {
        String text = optionalText(object, field);
        if (text == null) {
            throw missing(field);
        }
        return text;
    }

    private static String requiredNonEmptyText(JsonNode object, String field) {
        String text = requiredText(object, field);
        if (text.isEmpty()) {
            throw invalid(field, "must not be empty");
        }
        return text;
    }

    /** The text of an optional string field, {@code null} when absent or null. */
    private static String optionalText(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    private static double requiredNumber(JsonNode object, String field) {
        double value = optionalNumber(object, field);
        if (Double.isNaN(value)) {
            throw missing(field);
        }
        return value;
    }

    /**
     * A finite number, or {@code NaN} when absent or null: NaN fails every range comparison, so
     * callers check a range without first checking presence.
     */
    private static double optionalNumber(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Double.NaN;
        }
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        double value = node.doubleValue();
        // JSON has no NaN or Infinity, but a literal like 1e400 overflows to Infinity.
        if (!Double.isFinite(value)) {
            throw invalid(field, "must be a finite number", node);
        }
        return value;
    }

    private static Rejected missing(String field) {
        return new Rejected(Reason.MISSING_FIELD, "missing required field ", field, "");
    }

    // Only the JSON type is named, never the value: the field may be user_id.
    private static Rejected wrongType(String field, String expected, JsonNode actual) {
        return new Rejected(
                Reason.WRONG_TYPE,
                "field ",
                field,
                " must be " + expected + ", got " + typeName(actual));
    }

    private static Rejected invalid(String field, String rule, JsonNode actual) {
        return invalid(field, rule, shortText(actual.toString()));
    }

    private static Rejected invalid(String field, String rule, String actual) {
        return invalid(field, rule + ", got " + actual);
    }

    /** {@code field} breaks {@code rule}, which says what it got where that is safe to show. */
    private static Rejected invalid(String field, String rule) {
        return new Rejected(Reason.INVALID_VALUE, "field ", field, " " + rule);
    }

    /** The JSON type as a producer knows it: string, number, boolean, object, array, null. */
    private static String typeName(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String quote(String text) {
        return "'" + shortText(text) + "'";
    }

    /** At most {@value #MAX_QUOTED_CHARS} chars of a producer's text, safe to print. */
    private static String shortText(String text) {
        String cut =
                text.length() <= MAX_QUOTED_CHARS
                        ? text
                        : text.substring(0, MAX_QUOTED_CHARS) + "…";
        return UnicodeText.printable(cut);
    }

    private String sizeReason(long bytes) {
        return "event is " + bytes + " bytes, limit is " + limits.maxEventBytes();
    }

    private InputRecord unreadable(Exception e, String raw, String source, long receivedAtMillis) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException jpe = (JsonProcessingException) e;
            String message = withoutSourceNote(firstLine(jpe.getOriginalMessage()));
            JsonLocation at = jpe.getLocation();
            if (at != null && at.getLineNr() > 0) {
                message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            }
            // Jackson quotes the offending token, which may hold control characters.
            return deadLetter(
                    Reason.INVALID_JSON,
                    "invalid JSON: " + UnicodeText.printable(message),
                    raw,
                    source,
                    receivedAtMillis);
        }
        // A bug or an input nobody foresaw: still one dead letter, never a failed task.
        return deadLetter(
                Reason.INVALID_VALUE,
                "event could not be read: "
                        + e.getClass().getSimpleName()
                        + ": "
                        + UnicodeText.printable(firstLine(e.getMessage())),
                raw,
                source,
                receivedAtMillis);
    }

    /**
     * A dead letter for an event received as bytes: its text decoded for reading, and, when the
     * bytes are not UTF-8, the kept bytes themselves in base64, since the decoded text has lost
     * them.
     */
    private InputRecord bytesDeadLetter(
            Reason reason,
            String text,
            byte[] utf8,
            int from,
            long length,
            String source,
            long receivedAtMillis) {
        String raw =
                length <= utf8.length
                        ? truncate(
                                new String(utf8, from, utf8.length - from, StandardCharsets.UTF_8))
                        : decode(utf8, from, length);
        InputRecord record =
                InputRecord.of(new DeadLetter(reason, text, raw, source, receivedAtMillis));
        int end = length <= utf8.length ? utf8.length : wholeCharacters(utf8, from);
        if (UnicodeText.invalidUtf8At(utf8, from, end) != UnicodeText.VALID) {
            int kept = Math.min(utf8.length - from, limits.maxRawChars());
            record.deadLetter.rawBase64 =
                    Base64.getEncoder().encodeToString(Arrays.copyOfRange(utf8, from, from + kept));
        }
        return record;
    }

    /**
     * A dead letter for {@code raw}, its text cut to {@code dead-letter.max-raw-chars} like every
     * other; also for events rejected after parsing, e.g. for their time ({@link EventTimeGuard}).
     */
    public InputRecord deadLetter(
            Reason reason, String text, String raw, String source, long receivedAtMillis) {
        return InputRecord.of(
                new DeadLetter(reason, text, truncate(raw), source, receivedAtMillis));
    }

    /** The first {@code maxRawChars} characters of {@code raw}, marked when cut. */
    String truncate(String raw) {
        int max = limits.maxRawChars();
        if (raw.length() <= max) {
            return raw;
        }
        int cut = max;
        // Never split a surrogate pair: half an emoji is not valid text in the dead-letter file.
        if (Character.isHighSurrogate(raw.charAt(cut - 1))) {
            cut--;
        }
        return raw.substring(0, cut) + "…[truncated " + (raw.length() - cut) + " chars]";
    }

    /**
     * The text of a rejected event; bytes that are not UTF-8 become U+FFFD. When {@code utf8} holds
     * only the first bytes of a longer line, the text ends with how many bytes were cut.
     */
    private String decode(byte[] utf8, int from, long length) {
        if (length <= utf8.length) {
            return new String(utf8, from, utf8.length - from, StandardCharsets.UTF_8);
        }
        int end = wholeCharacters(utf8, from);
        String kept = new String(utf8, from, end - from, StandardCharsets.UTF_8);
        if (kept.length() > limits.maxRawChars()) {
            kept = truncate(kept);
        }
        return kept + "…[truncated " + (length - end) + " bytes]";
    }

    /**
     * The end of the last whole character in the first bytes of a line that the reader cut: a
     * sequence cut in its middle is no error of the producer's, and must neither show as U+FFFD nor
     * count as invalid UTF-8.
     */
    private static int wholeCharacters(byte[] utf8, int from) {
        if (utf8.length <= from) {
            return utf8.length;
        }
        int lead = utf8.length - 1;
        while (lead > from && lead > utf8.length - 4 && (utf8[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int b = utf8[lead] & 0xFF;
        int sequence = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + sequence > utf8.length ? lead : utf8.length;
    }

    /** The UTF-8 length of {@code s} without encoding it. */
    static long utf8Length(String s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                // A lone surrogate cannot be encoded at all; 3 bytes is an upper bound for it.
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * Drops Jackson's "(for root starting at [Source: REDACTED ...])" notes, which say nothing to a
     * producer; the line and column added after them do.
     */
    private static String withoutSourceNote(String message) {
        int source = message.indexOf("[Source:");
        if (source < 0) {
            return message;
        }
        int open = message.lastIndexOf(" (", source);
        int close = message.indexOf("])", source);
        if (open < 0 || close < 0) {
            return message;
        }
        return message.substring(0, open) + message.substring(close + 2);
    }

    /** The capacity of a HashMap for {@code entries}, shared by both paths. */
    static int capacityFor(int entries) {
        return entries * 4 / 3 + 1;
    }

    private ObjectReader reader() {
        ObjectReader r = reader;
        if (r == null) {
            JsonFactory factory =
                    JsonFactory.builder()
                            // A repeated key is ambiguous: which latency was meant?
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build();
            r =
                    new ObjectMapper(factory)
                            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                            .reader();
            reader = r;
        }
        return r;
    }

    private StreamingEventReader streamingReader() {
        StreamingEventReader r = streamingReader;
        if (r == null) {
            r = new StreamingEventReader(limits);
            streamingReader = r;
        }
        return r;
    }

    /**
     * A rule broken by the input. Thrown only on the rejection path, and without a stack trace,
     * which would cost more than the parse and tell nothing the message does not. The field is kept
     * apart from the text around it so that a nested value can be named from the root.
     */
    private static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Reason reason;
        private final String lead;

        /** The field's path, {@code null} when the problem is not one field's. */
        private final String field;

        private final String rest;

        Rejected(Reason reason, String message) {
            this(reason, message, null, "");
        }

        Rejected(Reason reason, String lead, String field, String rest) {
            super(null, null, false, false);
            this.reason = reason;
            this.lead = lead;
            this.field = field;
            this.rest = rest;
        }

        /** The same problem, its field named from {@code parent}, e.g. recommendations[2]. */
        Rejected within(String parent) {
            if (field == null) {
                return this;
            }
            String path = field.isEmpty() ? parent : parent + "." + field;
            return new Rejected(reason, lead, path, rest);
        }

        @Override
        public String getMessage() {
            return field == null ? lead : lead + "'" + field + "'" + rest;
        }
    }
}
