package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record that flows between operators must be a Flink POJO with no field left to Kryo: Kryo
 * is slower, and its state does not survive a change of the class.
 */
class ModelSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                RecommendedItem.class,
                PredictionEvent.class,
                FeedbackEvent.class,
                DeadLetter.class,
                InputRecord.class,
                MetricPoint.class,
                Alert.class,
                DriftReport.class,
                ReferenceUpdate.class,
                EngagementSignal.class,
                EngagementCounts.class,
                QualityTally.class,
                StreamEventTime.class,
                RankingOutcome.class
            })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void predictionSurvivesRoundTripWithCollections() throws Exception {
        PredictionEvent event = new PredictionEvent();
        event.requestId = "req-1";
        event.eventTime = 1_767_261_600_123L;
        event.userId = "u-1";
        event.userSegment = "new";
        event.modelVersion = "v2";
        event.latencyMs = 12.5;
        event.error = true;
        event.errorType = "Timeout";
        event.recommendations.add(new RecommendedItem("i-1", 0.9, "shoes", 49.9));
        event.recommendations.add(new RecommendedItem("i-2", Double.NaN, null, Double.NaN));
        event.numericFeatures.put("age", 31.0);
        event.categoricalFeatures.put("device", "ios");
        event.nullFeatures.add("last_purchase");

        PredictionEvent copy = roundTrip(InputRecord.of(event)).prediction;

        assertThat(copy).isEqualTo(event);
        assertThat(copy.userId).isEqualTo("u-1");
    }

    @Test
    void aDeadLetterQuotingAnyTextCrossesTheNetworkUnchanged() throws Exception {
        // Lone surrogates and controls in a rejected event's text must survive serialization
        // exactly: a key computed from them before and after a shuffle must be the same.
        DeadLetter letter =
                new DeadLetter(
                        DeadLetter.Reason.INVALID_JSON,
                        "invalid JSON: byte 3 (0xff) is not valid UTF-8",
                        "{\"model_version\":\"\ud800\u0000\u001b[2J\uFFFD\"}",
                        "file:/in",
                        1L);
        letter.rawBase64 = "/w==";

        DeadLetter copy = roundTrip(InputRecord.of(letter)).deadLetter;

        assertThat(copy).isEqualTo(letter);
        assertThat(copy.raw.hashCode()).isEqualTo(letter.raw.hashCode());
    }

    @Test
    void metricPointKeepsSortedDimensions() throws Exception {
        Map<String, String> dims = new TreeMap<>();
        dims.put("ModelVersion", "v2");
        dims.put("Segment", "new");
        MetricPoint point = new MetricPoint("Recs", "CTR", dims, 0.05, "Percent", 0L, 60_000L);

        MetricPoint copy = roundTrip(point);

        assertThat(copy).isEqualTo(point);
        assertThat(copy.dimensions).isInstanceOf(TreeMap.class);
        assertThat(copy.seriesKey()).isEqualTo("CTR{ModelVersion=v2, Segment=new}");
    }

    @Test
    void alertKeepsSortedDimensions() throws Exception {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.state = "ALARM";
        alert.dimensions.put("ModelVersion", "v2");
        alert.dimensions.put("A", null);

        Alert copy = roundTrip(alert);

        assertThat(copy).isEqualTo(alert);
        assertThat(copy.dimensions).isInstanceOf(TreeMap.class);
    }

    @Test
    void dimensionsSerializerCopiesBetweenViews() throws Exception {
        TypeSerializer<TreeMap<String, String>> serializer = DimensionsTypeInfo.Serializer.INSTANCE;
        TreeMap<String, String> dims = new TreeMap<>();
        dims.put("b", "2");
        dims.put("a", "1");
        DataOutputSerializer first = new DataOutputSerializer(64);
        serializer.serialize(dims, first);
        DataOutputSerializer second = new DataOutputSerializer(64);

        serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);

        assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
        assertThat(serializer.deserialize(new DataInputDeserializer(second.getCopyOfBuffer())))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
        assertThat(serializer.copy(dims)).isEqualTo(dims).isNotSameAs(dims);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        TypeSerializer<T> serializer =
                TypeInformation.of((Class<T>) value.getClass())
                        .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void metricPointKeepsItsEvidence() throws Exception {
        MetricPoint point =
                new MetricPoint("Recs", "AverageOrderValue", new TreeMap<>(), 52, "None", 0L, 1L)
                        .withEvidence(40, 30.0);
        MetricPoint copy = roundTrip(point);
        assertThat(copy).isEqualTo(point);
        assertThat(copy.samples).isEqualTo(40);
        assertThat(copy.sampleStdDev).isEqualTo(30.0);
        assertThat(copy).isNotEqualTo(roundTrip(point).withEvidence(41, 30.0));
        MetricPoint bare = new MetricPoint("Recs", "Errors", new TreeMap<>(), 3, "Count", 0L, 1L);
        assertThat(bare.samples).isZero();
        assertThat(roundTrip(bare).sampleStdDev).isNaN();
        assertThat(roundTrip(bare)).isEqualTo(bare);
    }
}
