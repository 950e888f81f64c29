package io.recsys.monitor.operators.ingest;

import static io.recsys.monitor.operators.ingest.ContractEvents.feedback;
import static io.recsys.monitor.operators.ingest.ContractEvents.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DeadLetter.Reason;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {
    private static final String SOURCE = "file:/data/events.jsonl";
    private static final long RECEIVED_AT = 1_767_300_000_000L;

    /** 2026-01-01T10:00:00.123Z */
    private static final long T0 = Instant.parse("2026-01-01T10:00:00.123Z").toEpochMilli();

    private final EventParser parser = new EventParser(EventLimits.defaults());

    // ---------------------------------------------------------------- valid predictions

    @Test
    void mapsEveryFieldOfAFullPrediction() {
        ObjectNode event = prediction();
        event.put("user_segment", "returning");
        event.put("status", "error");
        event.put("error_type", "FeatureStoreTimeout");
        ArrayNode recs = event.putArray("recommendations");
        recs.addObject()
                .put("item_id", "sku-1")
                .put("score", 0.91)
                .put("category", "shoes")
                .put("price", 59.99);
        recs.addObject().put("item_id", "sku-2").put("score", 0.5);
        recs.addObject().put("item_id", "sku-3");
        ObjectNode features = event.putObject("features");
        features.put("age", 31).put("ctr_7d", 0.042).put("device", "ios");
        features.put("is_member", true).putNull("last_purchase_days");

        PredictionEvent p = parsePrediction(event.toString());

        assertThat(p.requestId).isEqualTo("req-1");
        assertThat(p.eventTime).isEqualTo(T0);
        assertThat(p.userId).isEqualTo("user-42");
        assertThat(p.userSegment).isEqualTo("returning");
        assertThat(p.modelVersion).isEqualTo("ranker-v7");
        assertThat(p.latencyMs).isEqualTo(23.5);
        assertThat(p.error).isTrue();
        assertThat(p.errorType).isEqualTo("FeatureStoreTimeout");
        // Rank is implicit: list order.
        assertThat(p.recommendations)
                .containsExactly(
                        new RecommendedItem("sku-1", 0.91, "shoes", 59.99),
                        new RecommendedItem("sku-2", 0.5, null, Double.NaN),
                        new RecommendedItem("sku-3", Double.NaN, null, Double.NaN));
        assertThat(p.numericFeatures).containsOnly(entry("age", 31.0), entry("ctr_7d", 0.042));
        assertThat(p.categoricalFeatures)
                .containsOnly(entry("device", "ios"), entry("is_member", "true"));
        assertThat(p.nullFeatures).containsExactly("last_purchase_days");
    }

    @Test
    void appliesDefaultsToAMinimalPrediction() {
        PredictionEvent p = parsePrediction(prediction().toString());

        assertThat(p.userSegment).isEqualTo("unknown");
        assertThat(p.error).isFalse();
        assertThat(p.errorType).isNull();
        assertThat(p.recommendations).isEmpty();
        assertThat(p.numericFeatures).isEmpty();
        assertThat(p.categoricalFeatures).isEmpty();
        assertThat(p.nullFeatures).isEmpty();
    }

    @Test
    void treatsNullOptionalFieldsAsAbsent() {
        ObjectNode event = prediction();
        event.putNull("user_segment");
        event.putNull("status");
        event.putNull("error_type");
        event.putNull("features");
        event.putArray("recommendations")
                .addObject()
                .put("item_id", "sku-1")
                .putNull("score")
                .putNull("category")
                .putNull("price");

        PredictionEvent p = parsePrediction(event.toString());

        assertThat(p.userSegment).isEqualTo("unknown");
        assertThat(p.error).isFalse();
        assertThat(p.recommendations)
                .containsExactly(new RecommendedItem("sku-1", Double.NaN, null, Double.NaN));
        assertThat(p.numericFeatures).isEmpty();
        assertThat(
                        parsePrediction(prediction().putNull("recommendations").toString())
                                .recommendations)
                .isEmpty();
    }

    @Test
    void dropsErrorTypeOfASuccessfulResponse() {
        ObjectNode event = prediction().put("status", "ok").put("error_type", "Timeout");

        assertThat(parsePrediction(event.toString()).errorType).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "2026-01-01T10:00:00.123Z, 1767261600123",
        "2026-01-01T12:00:00.123+02:00, 1767261600123",
        "2026-01-01T05:00:00.123-05:00, 1767261600123",
        "2026-01-01T10:00:00Z, 1767261600000",
        "2026-01-01T10:00Z, 1767261600000",
        "2026-01-01T10:00:00.123456789Z, 1767261600123"
    })
    void readsIsoEventTimeWithOffset(String time, long epochMillis) {
        ObjectNode event = prediction().put("event_time", time);

        assertThat(parsePrediction(event.toString()).eventTime).isEqualTo(epochMillis);
    }

    @Test
    void readsEpochMillisEventTime() {
        ObjectNode event = prediction().put("event_time", 1_767_261_600_123L);

        assertThat(parsePrediction(event.toString()).eventTime).isEqualTo(1_767_261_600_123L);
    }

    @Test
    void keepsBooleanAndNullFeaturesApart() {
        ObjectNode event = prediction();
        event.putObject("features")
                .put("is_member", true)
                .put("has_coupon", false)
                .putNull("zip")
                .put("visits", 0)
                .put("country", "");

        PredictionEvent p = parsePrediction(event.toString());

        assertThat(p.categoricalFeatures)
                .containsOnly(
                        entry("is_member", "true"),
                        entry("has_coupon", "false"),
                        entry("country", ""));
        assertThat(p.nullFeatures).containsExactly("zip");
        assertThat(p.numericFeatures).containsOnly(entry("visits", 0.0));
    }

    @Test
    void ignoresUnknownFields() {
        ObjectNode event = prediction();
        event.put("schema_version", 3);
        event.putObject("context").put("page", "home").putArray("tags").add(1);
        event.putArray("recommendations").addObject().put("item_id", "sku-1").put("slot", "top");

        PredictionEvent p = parsePrediction(event.toString());

        assertThat(p.requestId).isEqualTo("req-1");
        assertThat(p.recommendations).extracting(i -> i.itemId).containsExactly("sku-1");
    }

    @Test
    void acceptsSurroundingWhitespaceAndNewline() {
        String raw = "  " + prediction() + "\r\n";

        assertThat(parser.parse(raw, SOURCE, RECEIVED_AT).prediction).isNotNull();
    }

    @Test
    void readsBytesLikeText() {
        ObjectNode event = prediction();
        event.putObject("features").put("city", "Zürich").put("emoji", "\uD83D\uDE00");
        String raw = event.toString();

        InputRecord fromBytes =
                parser.parse(raw.getBytes(StandardCharsets.UTF_8), SOURCE, RECEIVED_AT);

        assertThat(fromBytes.prediction).isEqualTo(parsePrediction(raw));
        assertThat(fromBytes.prediction.categoricalFeatures).containsEntry("city", "Zürich");
    }

    // ---------------------------------------------------------------- valid feedback

    @Test
    void mapsEveryFieldOfAPurchase() {
        ObjectNode event =
                feedback("purchase").put("order_value", 129.5).put("rating", 4.5).put("extra", 1);

        FeedbackEvent f = parseFeedback(event.toString());

        assertThat(f.requestId).isEqualTo("req-1");
        assertThat(f.eventTime).isEqualTo(T0);
        assertThat(f.userId).isEqualTo("user-42");
        assertThat(f.itemId).isEqualTo("sku-1");
        assertThat(f.action).isEqualTo(FeedbackAction.PURCHASE);
        assertThat(f.orderValue).isEqualTo(129.5);
        assertThat(f.rating).isEqualTo(4.5);
    }

    @ParameterizedTest
    @CsvSource({"impression, IMPRESSION", "click, CLICK", "add_to_cart, ADD_TO_CART"})
    void readsEveryNonPurchaseAction(String wire, FeedbackAction action) {
        ObjectNode event = feedback(wire).put("event_time", T0);

        FeedbackEvent f = parseFeedback(event.toString());

        assertThat(f.action).isEqualTo(action);
        assertThat(f.eventTime).isEqualTo(T0);
        assertThat(f.orderValue).isNaN();
        assertThat(f.rating).isNaN();
    }

    @Test
    void validatesButDropsOrderValueOfNonPurchase() {
        ObjectNode event = feedback("add_to_cart").put("order_value", 20.0);

        assertThat(parseFeedback(event.toString()).orderValue).isNaN();
    }

    @Test
    void acceptsRatingBounds() {
        assertThat(parseFeedback(feedback("click").put("rating", 1).toString()).rating)
                .isEqualTo(1.0);
        assertThat(parseFeedback(feedback("click").put("rating", 5).toString()).rating)
                .isEqualTo(5.0);
    }

    // ---------------------------------------------------------------- JSON syntax

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"event_type\": \"prediction\",",
                "{event_type: 1}",
                "not json",
                "{\"a\":1}}"
            })
    void rejectsMalformedJson(String raw) {
        DeadLetter d = reject(raw);

        assertThat(d.category).isEqualTo("invalid_json");
        assertThat(d.reason).startsWith("invalid JSON: ").doesNotContain("\n");
    }

    @Test
    void reportsWhereTheJsonBreaks() {
        assertRejected(
                "{\"a\":1}}",
                Reason.INVALID_JSON,
                "invalid JSON: Unexpected close marker '}': expected ']' (line 1, column 8)");
    }

    @Test
    void rejectsTrailingTokens() {
        String raw = prediction() + " " + prediction();

        assertRejected(raw, Reason.INVALID_JSON, "invalid JSON: ");
    }

    @Test
    void rejectsDuplicateKeys() {
        String raw = "{\"event_type\":\"prediction\",\"latency_ms\":1,\"latency_ms\":2}";

        assertRejected(raw, Reason.INVALID_JSON, "latency_ms");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"[1, 2]|array", "\"prediction\"|string", "null|null", "42|number"})
    void rejectsAnythingButAnObject(String raw, String type) {
        assertRejected(raw, Reason.INVALID_JSON, "must be a JSON object, got " + type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void rejectsEmptyInput(String raw) {
        assertRejected(raw, Reason.INVALID_JSON, "invalid JSON");
    }

    @Test
    void rejectsInvalidUtf8Bytes() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        DeadLetter d = parser.parse(bytes, SOURCE, RECEIVED_AT).deadLetter;

        assertThat(d.category).isEqualTo("invalid_json");
        assertThat(d.reason).containsIgnoringCase("UTF-8");
    }

    @Test
    void rejectsNumbersJsonDoesNotHave() {
        String raw = "{\"event_type\":\"prediction\",\"latency_ms\":NaN}";

        assertRejected(raw, Reason.INVALID_JSON, "NaN");
    }

    @Test
    void neverThrowsOnDeepNesting() {
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            raw.append('[');
        }

        assertRejected(raw.toString(), Reason.INVALID_JSON, "invalid JSON: ");
    }

    @Test
    void neverThrowsOnNullOrRandomInput() {
        assertThat(parser.parse((String) null, SOURCE, RECEIVED_AT).deadLetter.category)
                .isEqualTo("invalid_json");
        assertThat(parser.parse((byte[]) null, SOURCE, RECEIVED_AT).deadLetter.category)
                .isEqualTo("invalid_json");
        Random random = new Random(7);
        byte[] valid = prediction().toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = valid.clone();
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            InputRecord r = parser.parse(bytes, SOURCE, RECEIVED_AT);
            assertThat(exactlyOneSet(r)).as("one field set for mutation %d", i).isTrue();
        }
    }

    // ---------------------------------------------------------------- event_type

    @Test
    void rejectsMissingEventType() {
        ObjectNode event = prediction();
        event.remove("event_type");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'event_type'");
    }

    @Test
    void rejectsUnknownEventType() {
        assertRejected(
                prediction().put("event_type", "foo"),
                Reason.UNKNOWN_EVENT_TYPE,
                "unknown event_type 'foo' (expected prediction or feedback)");
    }

    @Test
    void rejectsEventTypeOfWrongType() {
        assertRejected(
                prediction().put("event_type", 1),
                Reason.WRONG_TYPE,
                "field 'event_type' must be a string, got number");
    }

    // ---------------------------------------------------------------- prediction fields

    @Test
    void rejectsMissingRequestId() {
        ObjectNode event = prediction();
        event.remove("request_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'request_id'");
    }

    @Test
    void rejectsNullRequiredFieldAsMissing() {
        ObjectNode event = prediction();
        event.putNull("request_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'request_id'");
    }

    @Test
    void rejectsEmptyRequestId() {
        assertRejected(
                prediction().put("request_id", ""),
                Reason.INVALID_VALUE,
                "field 'request_id' must not be empty");
    }

    @Test
    void rejectsRequestIdOfWrongType() {
        assertRejected(
                prediction().put("request_id", 17),
                Reason.WRONG_TYPE,
                "field 'request_id' must be a string, got number");
    }

    @Test
    void rejectsMissingEventTime() {
        ObjectNode event = prediction();
        event.remove("event_time");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'event_time'");
    }

    @Test
    void rejectsIsoTimeWithoutOffset() {
        assertRejected(
                prediction().put("event_time", "2026-01-01T10:00:00.123"),
                Reason.INVALID_VALUE,
                "field 'event_time' must be ISO-8601 with an offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01T10:00:00Z", "1767261600123", ""})
    void rejectsUnreadableTimeText(String time) {
        assertRejected(prediction().put("event_time", time), Reason.INVALID_VALUE, "'event_time'");
    }

    @Test
    void rejectsFractionalEpoch() {
        assertRejected(
                prediction().put("event_time", 1767261600123.5),
                Reason.INVALID_VALUE,
                "field 'event_time' must be integer epoch milliseconds >= 0");
    }

    @Test
    void rejectsNegativeEpoch() {
        assertRejected(
                prediction().put("event_time", -1),
                Reason.INVALID_VALUE,
                "field 'event_time' must be integer epoch milliseconds >= 0");
    }

    @Test
    void rejectsEpochBeyondLong() {
        assertRejected(
                prediction().put("event_time", new BigDecimal("1e30").toBigInteger()),
                Reason.INVALID_VALUE,
                "'event_time'");
    }

    @Test
    void rejectsEventTimeOfWrongType() {
        assertRejected(
                prediction().put("event_time", true),
                Reason.WRONG_TYPE,
                "field 'event_time' must be an ISO-8601 string or a number of epoch milliseconds");
    }

    @Test
    void rejectsMissingUserId() {
        ObjectNode event = prediction();
        event.remove("user_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'user_id'");
    }

    @Test
    void rejectsUserIdOfWrongTypeWithoutEchoingIt() {
        DeadLetter d =
                assertRejected(
                        prediction().put("user_id", 987654321),
                        Reason.WRONG_TYPE,
                        "field 'user_id' must be a string, got number");

        assertThat(d.reason).doesNotContain("987654321");
    }

    @Test
    void rejectsUserSegmentOfWrongType() {
        assertRejected(
                prediction().put("user_segment", 3),
                Reason.WRONG_TYPE,
                "field 'user_segment' must be a string, got number");
    }

    @Test
    void rejectsMissingModelVersion() {
        ObjectNode event = prediction();
        event.remove("model_version");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'model_version'");
    }

    @Test
    void rejectsEmptyModelVersion() {
        assertRejected(
                prediction().put("model_version", ""),
                Reason.INVALID_VALUE,
                "field 'model_version' must not be empty");
    }

    @Test
    void rejectsMissingLatency() {
        ObjectNode event = prediction();
        event.remove("latency_ms");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'latency_ms'");
    }

    @Test
    void rejectsLatencyAsText() {
        assertRejected(
                prediction().put("latency_ms", "12"),
                Reason.WRONG_TYPE,
                "field 'latency_ms' must be a number, got string");
    }

    @Test
    void rejectsNegativeLatency() {
        assertRejected(
                prediction().put("latency_ms", -3),
                Reason.INVALID_VALUE,
                "field 'latency_ms' must be a number >= 0, got -3");
    }

    @Test
    void rejectsInfiniteLatency() {
        String raw = prediction().toString().replace("\"latency_ms\":23.5", "\"latency_ms\":1e400");

        assertRejected(raw, Reason.INVALID_VALUE, "field 'latency_ms' must be a finite number");
    }

    @Test
    void rejectsUnknownStatus() {
        assertRejected(
                prediction().put("status", "failed"),
                Reason.INVALID_VALUE,
                "field 'status' must be 'ok' or 'error', got 'failed'");
    }

    @Test
    void rejectsStatusOfWrongType() {
        assertRejected(
                prediction().put("status", false),
                Reason.WRONG_TYPE,
                "field 'status' must be a string, got boolean");
    }

    @Test
    void rejectsErrorTypeOfWrongType() {
        assertRejected(
                prediction().put("status", "error").put("error_type", 500),
                Reason.WRONG_TYPE,
                "field 'error_type' must be a string, got number");
    }

    // ---------------------------------------------------------------- recommendations

    @Test
    void rejectsRecommendationsThatAreNotAnArray() {
        ObjectNode event = prediction();
        event.putObject("recommendations");

        assertRejected(
                event, Reason.WRONG_TYPE, "field 'recommendations' must be an array, got object");
    }

    @Test
    void rejectsRecommendationThatIsNotAnObject() {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("item_id", "a");
        ((ArrayNode) event.get("recommendations")).add("sku-2");

        assertRejected(
                event,
                Reason.WRONG_TYPE,
                "field 'recommendations[1]' must be an object, got string");
    }

    @Test
    void rejectsRecommendationWithoutItemId() {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("score", 0.3);

        assertRejected(
                event, Reason.MISSING_FIELD, "missing required field 'recommendations[0].item_id'");
    }

    @Test
    void rejectsRecommendationWithEmptyItemId() {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("item_id", "");

        assertRejected(
                event,
                Reason.INVALID_VALUE,
                "field 'recommendations[0].item_id' must not be empty");
    }

    @Test
    void rejectsScoreOfWrongType() {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("item_id", "a").put("score", "high");

        assertRejected(
                event,
                Reason.WRONG_TYPE,
                "field 'recommendations[0].score' must be a number, got string");
    }

    @Test
    void rejectsInfiniteScore() {
        String raw =
                prediction()
                        .toString()
                        .replace(
                                "}",
                                ",\"recommendations\":[{\"item_id\":\"a\",\"score\":-1e999}]}");

        assertRejected(
                raw,
                Reason.INVALID_VALUE,
                "field 'recommendations[0].score' must be a finite number");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -4.99})
    void rejectsPriceNotAboveZero(double price) {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("item_id", "a").put("price", price);

        assertRejected(
                event,
                Reason.INVALID_VALUE,
                "field 'recommendations[0].price' must be a number > 0");
    }

    @Test
    void rejectsCategoryOfWrongType() {
        ObjectNode event = prediction();
        event.putArray("recommendations").addObject().put("item_id", "a").put("category", 7);

        assertRejected(
                event,
                Reason.WRONG_TYPE,
                "field 'recommendations[0].category' must be a string, got number");
    }

    @Test
    void rejectsTooManyRecommendations() {
        ObjectNode event = prediction();
        ArrayNode recs = event.putArray("recommendations");
        for (int i = 0; i < 150; i++) {
            recs.addObject().put("item_id", "sku-" + i);
        }

        assertRejected(
                event,
                Reason.LIMIT_EXCEEDED,
                "field 'recommendations' has 150 items, limit is 100");
    }

    @Test
    void acceptsRecommendationsAtTheLimit() {
        ObjectNode event = prediction();
        ArrayNode recs = event.putArray("recommendations");
        for (int i = 0; i < 100; i++) {
            recs.addObject().put("item_id", "sku-" + i);
        }

        assertThat(parsePrediction(event.toString()).recommendations).hasSize(100);
    }

    // ---------------------------------------------------------------- features

    @Test
    void rejectsFeaturesThatAreNotAnObject() {
        ObjectNode event = prediction();
        event.putArray("features").add(1);

        assertRejected(event, Reason.WRONG_TYPE, "field 'features' must be an object, got array");
    }

    @Test
    void rejectsNestedFeatureValue() {
        ObjectNode event = prediction();
        event.putObject("features").put("age", 3).putObject("geo").put("lat", 1.0);

        assertRejected(
                event,
                Reason.WRONG_TYPE,
                "field 'features.geo' must be a number, string, boolean or null, got object");
    }

    @Test
    void rejectsArrayFeatureValue() {
        ObjectNode event = prediction();
        event.putObject("features").putArray("tags").add("a");

        assertRejected(event, Reason.WRONG_TYPE, "field 'features.tags' must be");
    }

    @Test
    void rejectsInfiniteFeature() {
        String raw = prediction().toString().replace("}", ",\"features\":{\"ctr\":1e400}}");

        assertRejected(raw, Reason.INVALID_VALUE, "field 'features.ctr' must be a finite number");
    }

    @Test
    void rejectsTooManyFeatures() {
        ObjectNode event = prediction();
        ObjectNode features = event.putObject("features");
        for (int i = 0; i < 201; i++) {
            features.put("f" + i, i);
        }

        assertRejected(
                event, Reason.LIMIT_EXCEEDED, "field 'features' has 201 entries, limit is 200");
    }

    // ---------------------------------------------------------------- feedback fields

    @Test
    void rejectsFeedbackWithoutRequestId() {
        ObjectNode event = feedback("click");
        event.remove("request_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'request_id'");
    }

    @Test
    void rejectsFeedbackWithoutEventTime() {
        ObjectNode event = feedback("click");
        event.remove("event_time");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'event_time'");
    }

    @Test
    void rejectsFeedbackWithoutUserId() {
        ObjectNode event = feedback("click");
        event.remove("user_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'user_id'");
    }

    @Test
    void rejectsFeedbackWithoutItemId() {
        ObjectNode event = feedback("click");
        event.remove("item_id");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'item_id'");
    }

    @Test
    void rejectsFeedbackWithoutAction() {
        ObjectNode event = feedback("click");
        event.remove("action");

        assertRejected(event, Reason.MISSING_FIELD, "missing required field 'action'");
    }

    @Test
    void rejectsUnknownAction() {
        assertRejected(
                feedback("view"),
                Reason.INVALID_VALUE,
                "field 'action' must be one of impression, click, add_to_cart, purchase, got 'view'");
    }

    @Test
    void rejectsActionOfWrongType() {
        assertRejected(
                feedback("click").put("action", 2),
                Reason.WRONG_TYPE,
                "field 'action' must be a string, got number");
    }

    @Test
    void rejectsPurchaseWithoutOrderValue() {
        assertRejected(
                feedback("purchase"),
                Reason.MISSING_FIELD,
                "missing required field 'order_value' (required for a purchase)");
    }

    @Test
    void rejectsOrderValueNotAboveZero() {
        assertRejected(
                feedback("purchase").put("order_value", 0),
                Reason.INVALID_VALUE,
                "field 'order_value' must be a number > 0, got 0");
    }

    @Test
    void rejectsNegativeOrderValueOnOtherActions() {
        assertRejected(
                feedback("click").put("order_value", -5),
                Reason.INVALID_VALUE,
                "field 'order_value' must be a number > 0, got -5");
    }

    @Test
    void rejectsOrderValueOfWrongType() {
        assertRejected(
                feedback("purchase").put("order_value", "10.00"),
                Reason.WRONG_TYPE,
                "field 'order_value' must be a number, got string");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.99, 5.01, 10})
    void rejectsRatingOutOfRange(double rating) {
        assertRejected(
                feedback("click").put("rating", rating),
                Reason.INVALID_VALUE,
                "field 'rating' must be a number in [1, 5]");
    }

    @Test
    void rejectsRatingOfWrongType() {
        assertRejected(
                feedback("click").put("rating", "5"),
                Reason.WRONG_TYPE,
                "field 'rating' must be a number, got string");
    }

    // ---------------------------------------------------------------- size limit

    @Test
    void measuresSizeInUtf8BytesNotChars() {
        EventParser small = new EventParser(new EventLimits(1000, 100, 200, 4096));
        ObjectNode event = prediction();
        // 300 chars, 900 bytes: fits in chars, not in bytes.
        event.putObject("features").put("note", repeat("€", 300));
        String raw = event.toString();
        int bytes = raw.getBytes(StandardCharsets.UTF_8).length;
        assertThat(raw.length()).isLessThan(1000);
        assertThat(bytes).isGreaterThan(1000);

        DeadLetter fromText = small.parse(raw, SOURCE, RECEIVED_AT).deadLetter;
        DeadLetter fromBytes =
                small.parse(raw.getBytes(StandardCharsets.UTF_8), SOURCE, RECEIVED_AT).deadLetter;

        String reason = "event is " + bytes + " bytes, limit is 1000";
        assertThat(fromText.category).isEqualTo("limit_exceeded");
        assertThat(fromText.reason).isEqualTo(reason);
        assertThat(fromBytes.reason).isEqualTo(reason);
        assertThat(fromBytes.raw).isEqualTo(raw);
    }

    @Test
    void acceptsEventOfExactlyTheLimit() {
        String raw = prediction().toString();
        int bytes = raw.getBytes(StandardCharsets.UTF_8).length;
        EventParser exact = new EventParser(new EventLimits(bytes, 100, 200, 4096));
        EventParser oneLess = new EventParser(new EventLimits(bytes - 1, 100, 200, 4096));

        assertThat(exact.parse(raw, SOURCE, RECEIVED_AT).prediction).isNotNull();
        assertThat(oneLess.parse(raw, SOURCE, RECEIVED_AT).deadLetter.category)
                .isEqualTo("limit_exceeded");
    }

    @Test
    void checksSizeBeforeParsing() {
        EventParser small = new EventParser(new EventLimits(256, 100, 200, 4096));
        String raw = "{ this is not json " + repeat("x", 300);

        assertThat(small.parse(raw, SOURCE, RECEIVED_AT).deadLetter.reason)
                .isEqualTo("event is 319 bytes, limit is 256");
    }

    @Test
    void countsUtf8LengthLikeTheEncoder() {
        String[] samples = {
            "", "abc", "é", "€", "\uD83D\uDE00", "a\uD83D\uDE00€é z", repeat("日本", 50)
        };
        for (String s : samples) {
            assertThat(EventParser.utf8Length(s))
                    .as(s)
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    // ---------------------------------------------------------------- the dead letter itself

    @Test
    void keepsRawSourceAndReceivedTime() {
        String raw = "{oops";

        DeadLetter d = reject(raw);

        assertThat(d.raw).isEqualTo(raw);
        assertThat(d.source).isEqualTo(SOURCE);
        assertThat(d.receivedAt).isEqualTo(RECEIVED_AT);
    }

    @Test
    void truncatesLongRawText() {
        EventParser truncating = new EventParser(new EventLimits(65536, 100, 200, 64));
        String raw = "{" + repeat("x", 200);

        DeadLetter d = truncating.parse(raw, SOURCE, RECEIVED_AT).deadLetter;

        assertThat(d.raw).isEqualTo(raw.substring(0, 64) + "…[truncated 137 chars]");
    }

    @Test
    void neverSplitsASurrogatePairWhenTruncating() {
        EventParser truncating = new EventParser(new EventLimits(65536, 100, 200, 64));
        // The 64th char is the first half of an emoji.
        String raw = repeat("x", 63) + "\uD83D\uDE00" + repeat("y", 10);

        DeadLetter d = truncating.parse(raw, SOURCE, RECEIVED_AT).deadLetter;

        assertThat(d.raw).isEqualTo(repeat("x", 63) + "…[truncated 12 chars]");
    }

    @Test
    void doesNotTruncateShortRawText() {
        String raw = prediction().put("latency_ms", -1).toString();

        assertThat(reject(raw).raw).isEqualTo(raw);
    }

    @Test
    void quotesOnlyTheStartOfALongValue() {
        DeadLetter d = reject(prediction().put("event_type", repeat("z", 500)).toString());

        assertThat(d.reason).hasSizeLessThan(150).contains(repeat("z", 64) + "…");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        parser.parse(prediction().toString(), SOURCE, RECEIVED_AT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parser);
        }
        EventParser copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EventParser) in.readObject();
        }

        assertThat(copy.limits().maxEventBytes()).isEqualTo(65536);
        assertThat(copy.parse(prediction().toString(), SOURCE, RECEIVED_AT).prediction)
                .isEqualTo(parsePrediction(prediction().toString()));
    }

    @Test
    void readsLimitsFromConfiguration() {
        EventLimits limits =
                EventLimits.fromConfig(
                        io.recsys.monitor.config.MonitorConfig.defaults()
                                .with("events.max-bytes", "1024")
                                .with("events.max-recommendations", "5")
                                .with("events.max-features", "7")
                                .with("dead-letter.max-raw-chars", "100")
                                .with("events.max-dimension-chars", "40"));

        assertThat(limits.maxEventBytes()).isEqualTo(1024);
        assertThat(limits.maxRecommendations()).isEqualTo(5);
        assertThat(limits.maxFeatures()).isEqualTo(7);
        assertThat(limits.maxRawChars()).isEqualTo(100);
        assertThat(limits.maxDimensionChars()).isEqualTo(40);
        assertThat(EventLimits.defaults().toString())
                .isEqualTo(
                        "EventLimits{maxEventBytes=65536, maxRecommendations=100, maxFeatures=200,"
                                + " maxRawChars=4096, maxDimensionChars=128}");
    }

    // ---------------------------------------------------------------- helpers

    private PredictionEvent parsePrediction(String raw) {
        InputRecord r = parser.parse(raw, SOURCE, RECEIVED_AT);
        assertThat(r.deadLetter).as("dead letter for %s", raw).isNull();
        assertThat(exactlyOneSet(r)).isTrue();
        return r.prediction;
    }

    private FeedbackEvent parseFeedback(String raw) {
        InputRecord r = parser.parse(raw, SOURCE, RECEIVED_AT);
        assertThat(r.deadLetter).as("dead letter for %s", raw).isNull();
        assertThat(exactlyOneSet(r)).isTrue();
        return r.feedback;
    }

    private DeadLetter reject(String raw) {
        InputRecord r = parser.parse(raw, SOURCE, RECEIVED_AT);
        assertThat(r.deadLetter).as("accepted %s", raw).isNotNull();
        assertThat(exactlyOneSet(r)).isTrue();
        return r.deadLetter;
    }

    private DeadLetter assertRejected(ObjectNode event, Reason reason, String reasonPart) {
        return assertRejected(event.toString(), reason, reasonPart);
    }

    /** Rejected for {@code reason}, with the same outcome from text and from bytes. */
    private DeadLetter assertRejected(String raw, Reason reason, String reasonPart) {
        DeadLetter d = reject(raw);
        assertThat(d.category).as(d.reason).isEqualTo(reason.category());
        assertThat(d.reason).contains(reasonPart);
        DeadLetter fromBytes =
                parser.parse(raw.getBytes(StandardCharsets.UTF_8), SOURCE, RECEIVED_AT).deadLetter;
        assertThat(fromBytes).isNotNull();
        assertThat(fromBytes.category).isEqualTo(d.category);
        return d;
    }

    private static boolean exactlyOneSet(InputRecord r) {
        int set =
                (r.prediction != null ? 1 : 0)
                        + (r.feedback != null ? 1 : 0)
                        + (r.deadLetter != null ? 1 : 0);
        return set == 1;
    }

    private static String repeat(String s, int times) {
        return s.repeat(times);
    }
}
