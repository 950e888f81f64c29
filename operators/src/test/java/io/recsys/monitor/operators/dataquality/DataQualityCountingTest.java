package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Completeness, validity and invalid-event counts against values worked out by hand. */
class DataQualityCountingTest {
    private static final EventParser PARSER = new EventParser(EventLimits.defaults());

    private static PredictionEvent prediction(boolean error, int items) {
        PredictionEvent p = new PredictionEvent();
        p.modelVersion = "v1";
        p.error = error;
        for (int i = 0; i < items; i++) {
            p.recommendations.add(new RecommendedItem("i" + i, 0.5, "c", 10.0));
        }
        return p;
    }

    static DeadLetter deadLetter(String line) {
        DeadLetter d = PARSER.parse(line, "test", 0L).deadLetter;
        assertThat(d).as("expected a dead letter for " + line).isNotNull();
        return d;
    }

    private static final String PREDICTION_HEAD =
            "{\"event_type\":\"prediction\",\"request_id\":\"r\",\"event_time\":1000,"
                    + "\"user_id\":\"u\",\"model_version\":\"v1\",";
    private static final String FEEDBACK_HEAD =
            "{\"event_type\":\"feedback\",\"request_id\":\"r\",\"event_time\":1000,"
                    + "\"user_id\":\"u\",\"item_id\":\"i\",";

    @Test
    void completenessOfFeaturesAndOptionalFieldsByHand() {
        DataQualityCounts c = new DataQualityCounts();
        // 4 predictions. age: values in 3 -> 25 % missing. device: value in 1, null in 1 ->
        // 75 % missing. referrer: null in 2 -> 100 % missing.
        PredictionEvent a = prediction(false, 2);
        a.numericFeatures.put("age", 30.0);
        a.categoricalFeatures.put("device", "ios");
        a.nullFeatures.add("referrer");
        PredictionEvent b = prediction(false, 0); // ok without recommendations
        b.numericFeatures.put("age", 40.0);
        b.nullFeatures.add("device");
        b.nullFeatures.add("referrer");
        PredictionEvent e = prediction(true, 0); // failed, no error_type, no features
        PredictionEvent d = prediction(false, 1);
        d.userSegment = "new";
        d.numericFeatures.put("age", 50.0);
        d.recommendations.get(0).price = Double.NaN;
        d.recommendations.get(0).category = null;
        for (PredictionEvent p : new PredictionEvent[] {a, b, e, d}) {
            DataQualityCounting.add(p, c, 200);
        }
        assertThat(DataQualityMetrics.featureMissingRate(c, "age").getAsDouble())
                .isCloseTo(25.0, within(1e-12));
        assertThat(DataQualityMetrics.featureMissingRate(c, "device").getAsDouble())
                .isCloseTo(75.0, within(1e-12));
        assertThat(DataQualityMetrics.featureMissingRate(c, "referrer").getAsDouble())
                .isCloseTo(100.0, within(1e-12));
        // user_segment defaulted to "unknown" in a, b, e: 3 of 4.
        assertThat(DataQualityMetrics.fieldMissingRate(c, "user_segment").getAsDouble())
                .isCloseTo(75.0, within(1e-12));
        // features empty in e only: 1 of 4.
        assertThat(DataQualityMetrics.fieldMissingRate(c, "features").getAsDouble())
                .isCloseTo(25.0, within(1e-12));
        // recommendations empty in b of the 3 successful predictions.
        assertThat(DataQualityMetrics.fieldMissingRate(c, "recommendations").getAsDouble())
                .isCloseTo(100.0 / 3, within(1e-12));
        // error_type absent in the one failed prediction.
        assertThat(DataQualityMetrics.fieldMissingRate(c, "error_type").getAsDouble())
                .isCloseTo(100.0, within(1e-12));
        assertThat(c.violations)
                .containsEntry("price_present", 1L)
                .containsEntry("category_present", 1L)
                .doesNotContainKey("score_present");
    }

    @Test
    void aTypicalWindowSerializesToAFewHundredBytes() throws Exception {
        DataQualityCounts c = new DataQualityCounts();
        String[] features = {
            "user_age",
            "session_length_s",
            "items_in_cart",
            "days_since_last_visit",
            "price_sensitivity",
            "device",
            "country",
            "is_logged_in",
            "referrer"
        };
        for (int i = 0; i < 3600; i++) {
            PredictionEvent p = prediction(i % 500 == 0, 10);
            for (String f : features) {
                p.numericFeatures.put(f, 1.0);
            }
            DataQualityCounting.add(p, c, 200);
        }
        DataQualityCounting.add(deadLetter(FEEDBACK_HEAD + "\"action\":\"like\"}"), c);
        DataOutputSerializer out = new DataOutputSerializer(256);
        new DataQualityCounts.Codec(200).write(c, out);
        int bytes = out.length();
        System.out.println(
                "DataQualityCounts of 3600 predictions, 9 features: " + bytes + " bytes");
        assertThat(bytes).isLessThan(1000);
        assertThat(c.copy().featurePresent).isEqualTo(c.featurePresent);
    }

    @Test
    void theFeatureCapBoundsTheMap() {
        DataQualityCounts c = new DataQualityCounts();
        PredictionEvent p = prediction(false, 1);
        for (int i = 0; i < 10; i++) {
            p.numericFeatures.put("f" + i, 1.0);
        }
        DataQualityCounting.add(p, c, 4);
        assertThat(c.featurePresent).hasSize(4);
        assertThat(c.featuresOverCap).isEqualTo(6);
    }

    @Test
    void deadLettersCountByCategoryRuleAndMissingRequiredField() {
        DataQualityCounts c = new DataQualityCounts();
        String[] lines = {
            PREDICTION_HEAD + "\"latency_ms\":-3}",
            PREDICTION_HEAD
                    + "\"latency_ms\":3,\"recommendations\":[{\"item_id\":\"a\",\"price\":0}]}",
            PREDICTION_HEAD
                    + "\"latency_ms\":3,\"recommendations\":[{\"item_id\":\"a\"},{\"item_id\":\"b\",\"score\":1e400}]}",
            PREDICTION_HEAD + "\"latency_ms\":3,\"status\":\"meh\"}",
            FEEDBACK_HEAD + "\"action\":\"like\"}",
            FEEDBACK_HEAD + "\"action\":\"click\",\"rating\":7}",
            FEEDBACK_HEAD + "\"action\":\"purchase\"}",
            FEEDBACK_HEAD + "\"action\":\"purchase\",\"order_value\":-1}",
            "{\"event_type\":\"feedback\",\"event_time\":1000,\"user_id\":\"u\"}",
            PREDICTION_HEAD + "\"latency_ms\":\"fast\"}",
            "{\"event_type\":\"prediction\",",
        };
        for (String line : lines) {
            DataQualityCounting.add(deadLetter(line), c);
        }
        assertThat(c.deadLetters).isEqualTo(lines.length);
        assertThat(c.violations)
                .containsEntry("latency_non_negative", 1L)
                .containsEntry("price_positive", 1L)
                .containsEntry("score_finite", 1L)
                .containsEntry("known_status", 1L)
                .containsEntry("known_action", 1L)
                .containsEntry("rating_in_range", 1L)
                .containsEntry("order_value_positive", 1L)
                .hasSize(7);
        assertThat(c.fieldMissing)
                .containsEntry("order_value", 1L)
                .containsEntry("request_id", 1L)
                .hasSize(2);
        assertThat(c.invalidByCategory)
                .containsEntry("invalid_value", 7L)
                .containsEntry("missing_field", 2L)
                .containsEntry("wrong_type", 1L)
                .containsEntry("invalid_json", 1L);
        // A required field per event read: 1 of 11 events (all of them dead letters here) + 9.
        DataQualityCounting.add(new FeedbackEvent(), c);
        for (int i = 0; i < 8; i++) {
            DataQualityCounting.add(prediction(false, 1), c, 200);
        }
        assertThat(DataQualityMetrics.fieldMissingRate(c, "request_id").getAsDouble())
                .isCloseTo(100.0 / 20, within(1e-12));
    }

    @Test
    void reportEmitsOverallOnlyMetricsOnlyForOverallAndZeroRulesToo() {
        DataQualityCounts c = new DataQualityCounts();
        DataQualityCounting.add(prediction(false, 1), c, 200);
        DataQualityCounting.add(deadLetter(FEEDBACK_HEAD + "\"action\":\"like\"}"), c);
        List<MetricPoint> overall = report(new SliceTally<>("", 0, 3_600_000, c));
        Map<String, Double> m = new HashMap<>();
        for (MetricPoint p : overall) {
            assertThat(m.put(p.seriesKey(), p.value)).isNull();
            assertThat(p.timestamp).isEqualTo(3_600_000);
        }
        assertThat(m)
                .containsEntry("InvalidEvents{Rule=invalid_value}", 1.0)
                .containsEntry("InvalidEvents{Rule=invalid_json}", 0.0)
                .containsEntry("ValidityViolations{Rule=known_action}", 1.0)
                .containsEntry("ValidityViolations{Rule=price_positive}", 0.0)
                .containsEntry("ValidityViolations{Rule=price_present}", 0.0)
                .containsEntry("EventVolume{Stream=predictions}", 1.0)
                .containsEntry("EventVolume{Stream=feedback}", 0.0)
                .containsEntry("FieldMissingRate{Field=request_id}", 0.0)
                .containsEntry("FieldMissingRate{Field=user_segment}", 100.0);
        List<MetricPoint> perModel = report(new SliceTally<>("v1", 0, 3_600_000, c));
        assertThat(perModel)
                .allSatisfy(p -> assertThat(p.dimensions).containsEntry("ModelVersion", "v1"))
                .noneSatisfy(p -> assertThat(p.metric).isEqualTo("InvalidEvents"));
    }

    @Test
    void foldedValuesAreReportedOverallPerDimensionWithZeroToo() {
        DataQualityCounts c = new DataQualityCounts();
        DataQualityCounting.add(prediction(false, 1), c, 200);
        DataQualityCounts folded = new DataQualityCounts();
        QualityAggregates.foldedValues(200).add("ModelVersion", folded);
        QualityAggregates.foldedValues(200).add("ModelVersion", folded);
        Map<String, Double> m = new HashMap<>();
        for (MetricPoint p : report(new SliceTally<>("", 0, 3_600_000, c.merge(folded, 200)))) {
            if (p.metric.equals("FoldedDimensionValues")) {
                m.put(p.seriesKey(), p.value);
                assertThat(p.unit).isEqualTo("Count");
            }
        }
        assertThat(m)
                .containsOnly(
                        Map.entry("FoldedDimensionValues{Dimension=ModelVersion}", 2.0),
                        Map.entry("FoldedDimensionValues{Dimension=UserSegment}", 0.0),
                        Map.entry("FoldedDimensionValues{Dimension=Feature}", 0.0));
        assertThat(report(new SliceTally<>("v1", 0, 3_600_000, c)))
                .noneSatisfy(p -> assertThat(p.metric).isEqualTo("FoldedDimensionValues"));
    }

    private static List<MetricPoint> report(SliceTally<DataQualityCounts> tally) {
        List<MetricPoint> out = new ArrayList<>();
        new DataQualityReport("NS")
                .flatMap(
                        tally,
                        new Collector<MetricPoint>() {
                            @Override
                            public void collect(MetricPoint record) {
                                out.add(record);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }
}
