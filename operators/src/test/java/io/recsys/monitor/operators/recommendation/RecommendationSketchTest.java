package io.recsys.monitor.operators.recommendation;

import static io.recsys.monitor.operators.recommendation.RecommendationQualityMetricsTest.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * The sketch state: its own serializer (compact bytes, no Kryo), merging, and a window that
 * survives a snapshot and restore with generic types disabled.
 */
class RecommendationSketchTest {
    private static final long HOUR = 3_600_000L;

    private static final KeySelector<PredictionEvent, String> SLICE =
            p -> TrafficSlice.key(p.modelVersion, p.userSegment);

    private static RecommendationSketch roundTrip(RecommendationSketch sketch) throws Exception {
        TypeSerializer<RecommendationSketch> serializer =
                TypeInformation.of(RecommendationSketch.class)
                        .createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isSameAs(RecommendationSketchTypeInfo.Serializer.INSTANCE);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(sketch, out);
        DataOutputSerializer copied = new DataOutputSerializer(1024);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void theSketchHasItsOwnSerializerAndTheTallyIsAPojo() throws Exception {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RecommendationTally.class);
        RecommendationSketch s =
                new RecommendationSketch()
                        .add(response("a", "x", "b", "x", "c", "y"), null)
                        .add(response("a", "x", "d", "y"), null);
        RecommendationSketch copy = roundTrip(s);
        assertThat(copy.responses()).isEqualTo(2);
        assertThat(copy.exposures()).isEqualTo(5);
        assertThat(copy.distinctItems()).isCloseTo(4, within(1e-6));
        assertThat(copy.meanDiversity().getAsDouble()).isEqualTo(s.meanDiversity().getAsDouble());
        assertThat(copy.exposureDistribution().gini()).isCloseTo(0.15, within(1e-12));
        // A copy is independent of its original.
        copy.add(response("z", "q"), null);
        assertThat(s.exposures()).isEqualTo(5);
    }

    @Test
    void mergingEqualsCountingTheUnion() {
        RecommendationSketch left =
                new RecommendationSketch().add(response("a", "x", "b", "y"), null);
        RecommendationSketch right =
                new RecommendationSketch().add(response("a", "x", "c", "x", "d", "z"), null);
        RecommendationSketch union =
                new RecommendationSketch()
                        .add(response("a", "x", "b", "y"), null)
                        .add(response("a", "x", "c", "x", "d", "z"), null);
        RecommendationSketch merged = left.merge(right);
        assertThat(merged.responses()).isEqualTo(union.responses());
        assertThat(merged.exposures()).isEqualTo(union.exposures());
        assertThat(merged.distinctItems()).isCloseTo(union.distinctItems(), within(1e-6));
        assertThat(merged.exposureDistribution().gini())
                .isCloseTo(union.exposureDistribution().gini(), within(1e-12));
        assertThat(merged.meanDiversity().getAsDouble())
                .isCloseTo(union.meanDiversity().getAsDouble(), within(1e-12));
    }

    private static PredictionEvent prediction(String model, String segment, int... items) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.modelVersion = model;
        p.userSegment = segment;
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c" + item % 2, 1));
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, PredictionEvent, RecommendationTally>
            windowHarness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        SingleOutputStreamOperator<RecommendationTally> windowed =
                env.fromData(TypeInformation.of(PredictionEvent.class), new PredictionEvent())
                        .keyBy(SLICE)
                        .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                        .aggregate(
                                new RecommendationQualityCounter(RecommendationBaseline.of(0)),
                                new RecommendationTallyWindow());
        OneInputStreamOperator<PredictionEvent, RecommendationTally> operator =
                (OneInputStreamOperator<PredictionEvent, RecommendationTally>)
                        ((SimpleOperatorFactory<RecommendationTally>)
                                        ((OneInputTransformation<
                                                                PredictionEvent,
                                                                RecommendationTally>)
                                                        windowed.getTransformation())
                                                .getOperatorFactory())
                                .getOperator();
        KeyedOneInputStreamOperatorTestHarness<String, PredictionEvent, RecommendationTally>
                harness =
                        new KeyedOneInputStreamOperatorTestHarness<>(operator, SLICE, Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
        return harness;
    }

    @Test
    void aWindowOfSketchesSurvivesSnapshotAndRestoreWithoutKryo() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before = windowHarness()) {
            before.open();
            before.processElement(new StreamRecord<>(prediction("v1", "new", 1, 2, 3), 1_000));
            before.processElement(new StreamRecord<>(prediction("v1", "new", 1, 4), 2_000));
            before.processElement(new StreamRecord<>(prediction("v2", "new", 9), 3_000));
            snapshot = before.snapshot(1L, 5_000L);
        }
        try (var after = windowHarness()) {
            after.setup();
            after.initializeState(snapshot);
            after.open();
            after.processElement(new StreamRecord<>(prediction("v1", "new", 5), 4_000));
            after.processWatermark(new Watermark(HOUR));
            List<RecommendationTally> out = after.extractOutputValues();
            assertThat(out).hasSize(2);
            RecommendationTally v1 =
                    out.stream().filter(t -> "v1".equals(t.modelVersion)).findFirst().orElseThrow();
            assertThat(v1.userSegment).isEqualTo("new");
            assertThat(v1.windowEnd).isEqualTo(HOUR);
            assertThat(v1.sketch.responses()).isEqualTo(3);
            // Items 1 2 3 1 4 5: exposures 6, distinct 5.
            assertThat(v1.sketch.exposures()).isEqualTo(6);
            assertThat(v1.sketch.distinctItems()).isCloseTo(5, within(1e-6));
            // Diversity: (1 2 3 -> c1 c0 c1: 2/3) (1 4 -> c1 c0: 1) (5: none) -> 5/6.
            assertThat(v1.sketch.meanDiversity().getAsDouble()).isCloseTo(5.0 / 6, within(1e-12));
        }
    }

    @Test
    void diversityKeepsItsSpreadAndReadsFormatOneWithoutIt() throws Exception {
        // Diversities 2/3 (a x, b x, c y) and 1 (a x, d y): sd (1/3) / sqrt(2).
        RecommendationSketch s =
                new RecommendationSketch()
                        .add(response("a", "x", "b", "x", "c", "y"), null)
                        .add(response("a", "x", "d", "y"), null);
        assertThat(s.diversityResponses()).isEqualTo(2);
        assertThat(s.diversityStdDev()).isCloseTo(1 / 3.0 / Math.sqrt(2), within(1e-12));
        assertThat(roundTrip(s).diversityStdDev()).isEqualTo(s.diversityStdDev());
        // Format 1 had no sum of squares after the five counters (1 + 5 x 8 bytes).
        byte[] two = s.toBytes();
        byte[] one = new byte[two.length - 8];
        System.arraycopy(two, 0, one, 0, 41);
        System.arraycopy(two, 49, one, 41, two.length - 49);
        one[0] = 1;
        RecommendationSketch old = RecommendationSketch.fromBytes(one);
        assertThat(old.meanDiversity().getAsDouble()).isEqualTo(s.meanDiversity().getAsDouble());
        assertThat(old.exposures()).isEqualTo(5);
        assertThat(old.diversityStdDev()).isNaN();
        assertThat(old.merge(s).diversityStdDev()).isNaN();
    }
}
