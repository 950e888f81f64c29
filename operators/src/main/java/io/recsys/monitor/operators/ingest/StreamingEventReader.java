package io.recsys.monitor.operators.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.text.UnicodeText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Reads a well-formed event token by token straight into its record, without the Jackson tree that
 * {@link EventParser} otherwise builds, walks once and throws away (about a quarter of the cost of
 * a parse). It accepts only what it is sure of and gives the same record the tree path gives. On
 * anything else (a broken rule, a missing field, an unexpected JSON type, a time the fast reading
 * of {@link EventParser#utcMillis} leaves to the formatter, a limit, a JSON error) it returns
 * {@code null} without building any message, and the tree path decides: rejections keep a single
 * reference and their exact reasons. That includes every key and string that is not well-formed
 * UTF-16, in unknown fields too, and every value of a dimension field that breaks {@link
 * UnicodeText#dimensionProblem}.
 *
 * <p>Thread-safe: the factory is, and each call has its own parser.
 */
final class StreamingEventReader {
    private final JsonFactory factory;
    private final int maxRecommendations;
    private final int maxFeatures;
    private final int maxDimensionChars;

    StreamingEventReader(EventLimits limits) {
        this.factory =
                JsonFactory.builder()
                        // A repeated key must reach the tree path, which rejects it.
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        // Correctly rounded as Double.parseDouble is, so the tree's doubles, in
                        // a fraction of its time (numbers were a sixth of this reader's cost).
                        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                        // The default per-thread buffer pool is kept: the concurrent-deque,
                        // lock-free and bounded pools measured no faster.
                        .build();
        this.maxRecommendations = limits.maxRecommendations();
        this.maxFeatures = limits.maxFeatures();
        this.maxDimensionChars = limits.maxDimensionChars();
    }

    /** The event read from {@code raw}, or {@code null} when the tree path must decide. */
    InputRecord read(String raw) {
        try (JsonParser p = factory.createParser(raw)) {
            return event(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The event read from UTF-8 bytes, or {@code null} when the tree path must decide. */
    InputRecord read(byte[] utf8) {
        return read(utf8, 0, utf8.length);
    }

    /** The event read from {@code length} UTF-8 bytes at {@code offset}, or {@code null}. */
    InputRecord read(byte[] utf8, int offset, int length) {
        try (JsonParser p = factory.createParser(utf8, offset, length)) {
            return event(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private InputRecord event(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        // event_type may come last: every field is gathered before the type is known.
        Fields f = new Fields();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "event_type":
                    f.eventType = text(p, t);
                    break;
                case "request_id":
                    f.requestId = text(p, t);
                    break;
                case "event_time":
                    // Epoch milliseconds are rare and checked by the tree path.
                    f.eventTime = text(p, t);
                    break;
                case "user_id":
                    f.userId = text(p, t);
                    break;
                case "user_segment":
                    f.userSegment = dimension(text(p, t));
                    break;
                case "model_version":
                    f.modelVersion = dimension(text(p, t));
                    break;
                case "latency_ms":
                    f.latencyMs = number(p, t);
                    break;
                case "status":
                    f.status = text(p, t);
                    break;
                case "error_type":
                    f.errorType = dimension(text(p, t));
                    break;
                case "recommendations":
                    f.recommendations = t == JsonToken.VALUE_NULL ? null : recommendations(p, t);
                    break;
                case "features":
                    f.features = t == JsonToken.VALUE_NULL ? null : features(p, t);
                    break;
                case "item_id":
                    f.itemId = text(p, t);
                    break;
                case "action":
                    f.action = text(p, t);
                    break;
                case "order_value":
                    f.orderValue = number(p, t);
                    break;
                case "rating":
                    f.rating = number(p, t);
                    break;
                default:
                    // The tree path ignores unknown fields, after checking their text.
                    wellFormed(name);
                    skipChecked(p, t);
            }
        }
        // The tree path reads with FAIL_ON_TRAILING_TOKENS.
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            return null;
        }
        if ("prediction".equals(f.eventType)) {
            PredictionEvent prediction = prediction(f);
            return prediction == null ? null : InputRecord.of(prediction);
        }
        if ("feedback".equals(f.eventType)) {
            FeedbackEvent feedback = feedback(f);
            return feedback == null ? null : InputRecord.of(feedback);
        }
        return null;
    }

    private static PredictionEvent prediction(Fields f) {
        long eventTime = eventTime(f.eventTime);
        boolean error;
        if (f.status == null || "ok".equals(f.status)) {
            error = false;
        } else if ("error".equals(f.status)) {
            error = true;
        } else {
            return null;
        }
        if (isNullOrEmpty(f.requestId)
                || eventTime == EventParser.NOT_FAST
                || f.userId == null
                || isNullOrEmpty(f.modelVersion)
                // NaN (absent or null) fails the comparison.
                || !(f.latencyMs >= 0)) {
            return null;
        }
        PredictionEvent event = new PredictionEvent();
        event.requestId = f.requestId;
        event.eventTime = eventTime;
        event.userId = f.userId;
        if (f.userSegment != null) {
            event.userSegment = f.userSegment;
        }
        event.modelVersion = f.modelVersion;
        event.latencyMs = f.latencyMs;
        event.error = error;
        event.errorType = error ? f.errorType : null;
        if (f.recommendations != null) {
            event.recommendations = f.recommendations;
        }
        if (f.features != null) {
            f.features.copyTo(event);
        }
        return event;
    }

    private static FeedbackEvent feedback(Fields f) {
        long eventTime = eventTime(f.eventTime);
        FeedbackAction action = f.action == null ? null : FeedbackAction.fromWireName(f.action);
        if (isNullOrEmpty(f.requestId)
                || eventTime == EventParser.NOT_FAST
                || f.userId == null
                || isNullOrEmpty(f.itemId)
                || action == null
                || f.orderValue <= 0
                || (action == FeedbackAction.PURCHASE && Double.isNaN(f.orderValue))
                || f.rating < 1
                || f.rating > 5) {
            return null;
        }
        FeedbackEvent event = new FeedbackEvent(f.requestId, eventTime, f.userId, f.itemId, action);
        if (action == FeedbackAction.PURCHASE) {
            event.orderValue = f.orderValue;
        }
        event.rating = f.rating;
        return event;
    }

    private static long eventTime(String text) {
        return text == null ? EventParser.NOT_FAST : EventParser.utcMillis(text);
    }

    private ArrayList<RecommendedItem> recommendations(JsonParser p, JsonToken t)
            throws IOException {
        expect(t, JsonToken.START_ARRAY);
        ArrayList<RecommendedItem> list = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(t, JsonToken.START_OBJECT);
            if (list.size() == maxRecommendations) {
                throw NotSure.INSTANCE;
            }
            list.add(item(p));
        }
        return list;
    }

    private static RecommendedItem item(JsonParser p) throws IOException {
        RecommendedItem item = new RecommendedItem();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "item_id":
                    item.itemId = text(p, t);
                    break;
                case "score":
                    item.score = number(p, t);
                    break;
                case "category":
                    item.category = text(p, t);
                    break;
                case "price":
                    item.price = number(p, t);
                    if (item.price <= 0) {
                        throw NotSure.INSTANCE;
                    }
                    break;
                default:
                    // The tree path ignores unknown fields, after checking their text.
                    wellFormed(name);
                    skipChecked(p, t);
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        if (isNullOrEmpty(item.itemId)) {
            throw NotSure.INSTANCE;
        }
        return item;
    }

    private Features features(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_OBJECT);
        Features features = new Features();
        String name;
        while ((name = p.nextFieldName()) != null) {
            if (features.count == maxFeatures) {
                throw NotSure.INSTANCE;
            }
            features.count++;
            dimension(name);
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                features.addNumber(name, number(p, t));
            } else if (t == JsonToken.VALUE_STRING) {
                String value = p.getText();
                if (UnicodeText.categoryProblem(value, maxDimensionChars) != null) {
                    throw NotSure.INSTANCE;
                }
                features.categorical.put(name, value);
            } else if (t == JsonToken.VALUE_TRUE) {
                features.categorical.put(name, "true");
            } else if (t == JsonToken.VALUE_FALSE) {
                features.categorical.put(name, "false");
            } else if (t == JsonToken.VALUE_NULL) {
                features.nulls.add(name);
            } else {
                throw NotSure.INSTANCE;
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        return features;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw NotSure.INSTANCE;
        }
    }

    /**
     * The string, or {@code null} for a JSON null.
     *
     * @throws NotSure for any other value, or a string that is not well-formed UTF-16
     */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.VALUE_STRING);
        return wellFormed(p.getText());
    }

    private static String wellFormed(String text) {
        if (UnicodeText.loneSurrogateAt(text) != UnicodeText.VALID) {
            throw NotSure.INSTANCE;
        }
        return text;
    }

    /** {@code value} if it may be a metric dimension; a null stays null. */
    private String dimension(String value) {
        if (value != null && UnicodeText.dimensionProblem(value, maxDimensionChars) != null) {
            throw NotSure.INSTANCE;
        }
        return value;
    }

    /**
     * Skips the value of an unknown field, checking its keys and strings as the tree path does.
     * Bounded by the JSON nesting limit of the parser.
     */
    private static void skipChecked(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            wellFormed(p.getText());
            return;
        }
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next = p.nextToken();
            if (next == null) {
                throw NotSure.INSTANCE;
            }
            switch (next) {
                case START_OBJECT:
                case START_ARRAY:
                    depth++;
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    depth--;
                    break;
                case FIELD_NAME:
                    wellFormed(p.currentName());
                    break;
                case VALUE_STRING:
                    wellFormed(p.getText());
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * Thrown from deep inside a read when the reader cannot be sure, and caught as any other
     * failure: the tree path decides. Shared and without a stack trace, as it carries nothing.
     */
    private static final class NotSure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotSure INSTANCE = new NotSure();

        private NotSure() {
            super(null, null, false, false);
        }
    }

    /**
     * The number as the tree path sees it ({@code getDoubleValue} gives for an integer what the
     * tree's Int, Long and BigInteger nodes give), or {@code NaN} for a JSON null.
     *
     * @throws NotSure for any other value, or a literal beyond the double range (infinite), which
     *     is left to the tree path
     */
    private static double number(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw NotSure.INSTANCE;
        }
        double value = p.getDoubleValue();
        if (Double.isInfinite(value)) {
            throw NotSure.INSTANCE;
        }
        return value;
    }

    private static boolean isNullOrEmpty(String text) {
        return text == null || text.isEmpty();
    }

    /** The top-level fields of one event; absent and null are alike, as on the tree path. */
    private static final class Fields {
        String eventType;
        String requestId;
        String eventTime;
        String userId;
        String userSegment;
        String modelVersion;
        double latencyMs = Double.NaN;
        String status;
        String errorType;
        ArrayList<RecommendedItem> recommendations;
        Features features;
        String itemId;
        String action;
        double orderValue = Double.NaN;
        double rating = Double.NaN;
    }

    /** The features of a prediction, in the order they were read. */
    private static final class Features {
        int count;
        String[] numericNames = new String[16];
        double[] numericValues = new double[16];
        int numericCount;
        final HashMap<String, String> categorical = new HashMap<>();
        final ArrayList<String> nulls = new ArrayList<>();

        void addNumber(String name, double value) {
            if (numericCount == numericNames.length) {
                numericNames = Arrays.copyOf(numericNames, numericCount * 2);
                numericValues = Arrays.copyOf(numericValues, numericCount * 2);
            }
            numericNames[numericCount] = name;
            numericValues[numericCount] = value;
            numericCount++;
        }

        /**
         * The numeric map is sized as the tree path sizes it, from the count of all features, and
         * filled in the same order, so that both paths give maps that iterate alike.
         */
        void copyTo(PredictionEvent event) {
            HashMap<String, Double> numeric = new HashMap<>(EventParser.capacityFor(count));
            for (int i = 0; i < numericCount; i++) {
                numeric.put(numericNames[i], numericValues[i]);
            }
            event.numericFeatures = numeric;
            event.categoricalFeatures = categorical;
            event.nullFeatures = nulls;
        }
    }
}
