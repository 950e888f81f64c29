package io.recsys.monitor.operators.recommendation;

import static io.recsys.monitor.operators.recommendation.RecommendationQualityMetricsTest.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sketch state: its codec (compact bytes, no Kryo), merging, and novelty against the exposure
 * reference given with each response, which neither the sketch nor its codec keeps.
 */
class RecommendationSketchTest {
    private static RecommendationSketch roundTrip(RecommendationSketch sketch) throws Exception {
        TypeSerializer<RecommendationSketch> serializer =
                AccumulatorTypeInfo.of(new RecommendationSketch.Codec())
                        .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(sketch, out);
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isEqualTo(serializer);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void theSketchIsStoredInItsCompactForm() throws Exception {
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

    /**
     * Reference a:3, b:1 exposures, total 4.5 with the unseen items' half: shares a 2/3, b 2/9 and
     * any other item 1/9, so novelties log2(1.5), log2(4.5) and log2(9). Another reference, b:1
     * alone (total 1.5), gives b log2(1.5) and any other item log2(3).
     */
    @Test
    void noveltyIsScoredAgainstTheReferenceGivenWithEachResponseAlsoAfterARestore()
            throws Exception {
        ProfileExposure reference = new ProfileExposure(Map.of("a", 3L, "b", 1L));
        ProfileExposure another = new ProfileExposure(Map.of("b", 1L));
        RecommendationSketch.Codec codec = new RecommendationSketch.Codec();
        RecommendationSketch s = codec.create().add(response("a", "x", "c", "y"), reference);
        double log2 = Math.log(2);
        double expected = (Math.log(1.5) + Math.log(9)) / log2;
        assertThat(s.meanReferenceNovelty().getAsDouble()).isCloseTo(expected / 2, within(1e-12));
        // A copy keeps the sums, and adds against the reference it is given.
        RecommendationSketch copy = s.copy().add(response("b", "x"), reference);
        double withB = (expected + Math.log(4.5) / log2) / 3;
        assertThat(copy.meanReferenceNovelty().getAsDouble()).isCloseTo(withB, within(1e-12));
        // So do a sketch the codec reads back and one read by a serializer restored from the
        // snapshot, which holds no reference: the one given now counts, whatever wrote the state.
        TypeSerializer<RecommendationSketch> serializer =
                AccumulatorTypeInfo.of(codec).serializer();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(s, out);
        RecommendationSketch read =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        read.add(response("b", "x"), reference);
        assertThat(read.meanReferenceNovelty().getAsDouble()).isCloseTo(withB, within(1e-12));
        DataOutputSerializer snapshot = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, serializer.snapshotConfiguration());
        TypeSerializer<RecommendationSketch> restored =
                TypeSerializerSnapshot.<RecommendationSketch>readVersionedSnapshot(
                                new DataInputDeserializer(snapshot.getCopyOfBuffer()),
                                getClass().getClassLoader())
                        .restoreSerializer();
        RecommendationSketch restoredSketch =
                restored.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))
                        .add(response("b", "x"), another);
        double withBAgainstAnother = (expected + Math.log(1.5) / log2) / 3;
        assertThat(restoredSketch.meanReferenceNovelty().getAsDouble())
                .isCloseTo(withBAgainstAnother, within(1e-12));
        // Without a reference, a response adds no reference novelty.
        RecommendationSketch withoutReference = restoredSketch.copy();
        withoutReference.add(response("a", "b"));
        assertThat(withoutReference.responses()).isEqualTo(3);
        assertThat(withoutReference.meanReferenceNovelty())
                .isEqualTo(restoredSketch.meanReferenceNovelty());
    }
}
