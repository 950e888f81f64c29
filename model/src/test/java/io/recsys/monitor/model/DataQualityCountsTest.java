package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The folded-value counts in the byte form, and checkpoints of the format before them. */
class DataQualityCountsTest {

    @Test
    void foldedValuesAddUpAndSurviveTheByteForm() throws Exception {
        DataQualityCounts a = counts();
        DataQualityCounts b = new DataQualityCounts();
        DataQualityCounts.increment(b.folded, MetricNames.MODEL_VERSION, 5);
        a.merge(b, 10);
        assertThat(a.folded)
                .containsEntry(MetricNames.MODEL_VERSION, 7L)
                .containsEntry(MetricNames.USER_SEGMENT, 1L);

        DataQualityCounts copy = DataQualityCounts.Serializer.INSTANCE.copy(a);
        assertThat(copy.folded).isEqualTo(a.folded);
        assertThat(copy.toString()).isEqualTo(a.toString());
    }

    @Test
    void aCheckpointOfTheFormatWithoutFoldedValuesIsReadAndMigrated() throws Exception {
        // What the serializer of the previous release wrote: its SimpleTypeSerializerSnapshot,
        // class name and version 3, no payload; then format 1 values.
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(DataQualityCounts.Snapshot.class.getName());
        snapshotBytes.writeInt(3);
        TypeSerializerSnapshot<DataQualityCounts> old =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                        getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<DataQualityCounts> compatibility =
                DataQualityCounts.Serializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(old);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

        DataQualityCounts before = counts();
        before.folded.clear();
        DataOutputSerializer format1 = new DataOutputSerializer(256);
        DataQualityCounts.Format1Serializer.INSTANCE.serialize(before, format1);
        TypeSerializer<DataQualityCounts> restore = old.restoreSerializer();
        DataQualityCounts read =
                restore.deserialize(new DataInputDeserializer(format1.getCopyOfBuffer()));
        assertThat(read.toString()).isEqualTo(before.toString());
        assertThat(read.featurePresent).isEqualTo(before.featurePresent);
        assertThat(read.folded).isEmpty();
    }

    @Test
    void aCheckpointOfTheCurrentFormatIsCompatibleAsIs() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                out, DataQualityCounts.Serializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<DataQualityCounts> written =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(
                        DataQualityCounts.Serializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(written)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(written.restoreSerializer()).isSameAs(DataQualityCounts.Serializer.INSTANCE);
    }

    private static DataQualityCounts counts() {
        DataQualityCounts c = new DataQualityCounts();
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
