package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The folded-value counts in the codec's byte form, and checkpoints of earlier releases: their
 * snapshot class, version 3 for the form without folded values, 4 for the current one.
 */
class DataQualityCountsTest {
    private static final AccumulatorTypeInfo<DataQualityCounts> TYPE =
            AccumulatorTypeInfo.of(new DataQualityCounts.Codec(10));

    @Test
    void foldedValuesAddUpAndSurviveTheByteForm() throws Exception {
        DataQualityCounts a = counts();
        DataQualityCounts b = new DataQualityCounts(10);
        DataQualityCounts.increment(b.folded, MetricNames.MODEL_VERSION, 5);
        a.merge(b);
        assertThat(a.folded)
                .containsEntry(MetricNames.MODEL_VERSION, 7L)
                .containsEntry(MetricNames.USER_SEGMENT, 1L);
        assertThat(b.folded).containsOnlyKeys(MetricNames.MODEL_VERSION);

        DataOutputSerializer out = new DataOutputSerializer(256);
        TYPE.serializer().serialize(a, out);
        DataQualityCounts read =
                TYPE.serializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.folded).isEqualTo(a.folded);
        assertThat(read.toString()).isEqualTo(a.toString());
        assertThat(read.maxFeatures).isEqualTo(10);
    }

    @Test
    void theCapIsTheAccumulatorsOwn() {
        DataQualityCounts capped = new DataQualityCounts(1);
        DataQualityCounts other = new DataQualityCounts(10);
        other.featureSeen("a", 2, 10);
        other.featureSeen("b", 3, 10);
        capped.merge(other);
        assertThat(capped.featurePresent).containsOnlyKeys("a");
        assertThat(capped.featuresOverCap).isEqualTo(3);
        assertThat(capped.copy().featurePresent).isEqualTo(capped.featurePresent);
        assertThat(capped.copy().maxFeatures).isEqualTo(1);
    }

    @Test
    void aCheckpointOfTheFormWithoutFoldedValuesIsReadAndMigrated() throws Exception {
        // What the serializer of two releases ago wrote: its SimpleTypeSerializerSnapshot, class
        // name and version 3, no payload; then values without the folded map.
        TypeSerializerSnapshot<DataQualityCounts> old = earlierSnapshot(3);
        TypeSerializerSchemaCompatibility<DataQualityCounts> compatibility =
                TYPE.serializer().snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

        DataQualityCounts before = counts();
        before.folded.clear();
        DataOutputSerializer current = new DataOutputSerializer(256);
        TYPE.serializer().serialize(before, current);
        // The form of version 1 is that of version 2 without the last map (its size, 0).
        byte[] version1 = java.util.Arrays.copyOf(current.getCopyOfBuffer(), current.length() - 4);
        TypeSerializer<DataQualityCounts> restore = old.restoreSerializer();
        DataQualityCounts read = restore.deserialize(new DataInputDeserializer(version1));
        assertThat(read.toString()).isEqualTo(before.toString());
        assertThat(read.featurePresent).isEqualTo(before.featurePresent);
        assertThat(read.folded).isEmpty();
    }

    @Test
    void aCheckpointOfThePreviousReleaseIsCompatibleAsIs() throws Exception {
        TypeSerializerSnapshot<DataQualityCounts> old = earlierSnapshot(4);
        assertThat(
                        TYPE.serializer()
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(old)
                                .isCompatibleAsIs())
                .isTrue();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TYPE.serializer().serialize(counts(), out);
        DataQualityCounts read =
                old.restoreSerializer()
                        .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.toString()).isEqualTo(counts().toString());
    }

    private TypeSerializerSnapshot<DataQualityCounts> earlierSnapshot(int version)
            throws Exception {
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(DataQualityCounts.Snapshot.class.getName());
        snapshotBytes.writeInt(version);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                getClass().getClassLoader());
    }

    private static DataQualityCounts counts() {
        DataQualityCounts c = new DataQualityCounts(10);
        c.predictions = 10;
        c.okPredictions = 9;
        c.errorPredictions = 1;
        c.feedback = 4;
        c.deadLetters = 2;
        c.featureSeen("age", 8, 10);
        DataQualityCounts.increment(c.fieldMissing, "user_segment", 3);
        DataQualityCounts.increment(c.violations, "price_present", 2);
        DataQualityCounts.increment(c.invalidByCategory, "invalid_json", 2);
        DataQualityCounts.increment(c.folded, MetricNames.MODEL_VERSION, 2);
        DataQualityCounts.increment(c.folded, MetricNames.USER_SEGMENT, 1);
        return c;
    }
}
