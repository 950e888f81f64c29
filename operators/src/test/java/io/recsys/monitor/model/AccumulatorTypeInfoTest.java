package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.junit.jupiter.api.Test;

/**
 * The snapshot/restore path of {@link AccumulatorTypeInfo}: what a savepoint of the previous
 * release holds (its snapshot class, the version-1 bytes) restores as it is; a snapshot of this
 * release round-trips; a newer codec version migrates the state; another codec is refused.
 */
class AccumulatorTypeInfoTest {

    private static <T> TypeSerializerSnapshot<T> roundTrip(TypeSerializerSnapshot<T> snapshot)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                AccumulatorTypeInfoTest.class.getClassLoader());
    }

    @Test
    void stateOfThePreviousReleaseRestoresAsItIs() throws IOException {
        // What the previous release's serializer wrote: its SimpleTypeSerializerSnapshot (class
        // name and version 3, no payload) and counts in format 1, laid out here by hand.
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(ServiceHealthCounts.Snapshot.class.getName());
        snapshotBytes.writeInt(3);
        TypeSerializerSnapshot<ServiceHealthCounts> old =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                        getClass().getClassLoader());
        LatencySketch sketch = new LatencySketch();
        sketch.update(40);
        sketch.update(90);
        DataOutputSerializer format1 = new DataOutputSerializer(256);
        format1.writeLong(2);
        format1.writeLong(1);
        format1.writeInt(1);
        format1.writeUTF("Timeout");
        format1.writeLong(1);
        byte[] sketchBytes = sketch.toByteArray();
        format1.writeInt(sketchBytes.length);
        format1.write(sketchBytes);

        TypeSerializer<ServiceHealthCounts> current =
                AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20)).serializer();
        assertThat(
                        current.snapshotConfiguration()
                                .resolveSchemaCompatibility(old)
                                .isCompatibleAsIs())
                .isTrue();
        ServiceHealthCounts restored =
                old.restoreSerializer()
                        .deserialize(new DataInputDeserializer(format1.getCopyOfBuffer()));
        assertThat(restored.requests).isEqualTo(2);
        assertThat(restored.errors).isEqualTo(1);
        assertThat(restored.errorsByType).containsExactly(entry("Timeout", 1L));
        assertThat(restored.latency.quantile(1.0)).isEqualTo(90.0);
        // The current serializer writes the same layout: nothing to migrate. (A REQ sketch's
        // bytes after a round trip hold its items sorted, so the sketch is compared by value.)
        DataOutputSerializer rewritten = new DataOutputSerializer(256);
        current.serialize(restored, rewritten);
        int sketchStart = format1.length() - sketchBytes.length;
        assertThat(rewritten.length()).isEqualTo(format1.length());
        assertThat(java.util.Arrays.copyOf(rewritten.getCopyOfBuffer(), sketchStart))
                .isEqualTo(java.util.Arrays.copyOf(format1.getCopyOfBuffer(), sketchStart));
        ServiceHealthCounts again =
                current.deserialize(new DataInputDeserializer(rewritten.getCopyOfBuffer()));
        assertThat(again.latency.quantile(0.0)).isEqualTo(40.0);
        assertThat(again.latency.quantile(1.0)).isEqualTo(90.0);
    }

    private static org.assertj.core.data.MapEntry<String, Long> entry(String key, long value) {
        return org.assertj.core.data.MapEntry.entry(key, value);
    }

    @Test
    void aSnapshotRecordsItsCodecAndRestoresAsItIs() throws IOException {
        AccumulatorTypeInfo.Serializer<ServiceHealthCounts> serializer =
                AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(7)).serializer();
        TypeSerializerSnapshot<ServiceHealthCounts> written =
                roundTrip(serializer.snapshotConfiguration());
        assertThat(written.restoreSerializer()).isEqualTo(serializer);
        assertThat(written.restoreSerializer().createInstance().maxErrorTypes).isEqualTo(7);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(written)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void statePojoSerializedForTheAccumulatorsOwnClassMigratesAndOtherPojosAreRefused()
            throws IOException {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<EngagementCounts> pojo =
                TypeInformation.of(EngagementCounts.class).createSerializer(config);
        TypeSerializerSnapshot<EngagementCounts> earlier = roundTrip(pojo.snapshotConfiguration());
        AccumulatorTypeInfo.Serializer<EngagementCounts> codec =
                AccumulatorTypeInfo.of(new EngagementCounts.Codec()).serializer();
        assertThat(
                        codec.snapshotConfiguration()
                                .resolveSchemaCompatibility(earlier)
                                .isCompatibleAfterMigration())
                .isTrue();
        // The restored POJO serializer reads what the earlier release wrote; the codec rewrites it.
        EngagementCounts counts = new EngagementCounts();
        counts.clicks = 3;
        counts.revenue = 12.5;
        counts.clicksAtRank[2] = 3;
        DataOutputSerializer oldBytes = new DataOutputSerializer(256);
        pojo.serialize(counts, oldBytes);
        EngagementCounts read =
                earlier.restoreSerializer()
                        .deserialize(new DataInputDeserializer(oldBytes.getCopyOfBuffer()));
        DataOutputSerializer newBytes = new DataOutputSerializer(256);
        codec.serialize(read, newBytes);
        EngagementCounts rewritten =
                codec.deserialize(new DataInputDeserializer(newBytes.getCopyOfBuffer()));
        assertThat(rewritten.clicks).isEqualTo(3);
        assertThat(rewritten.revenue).isEqualTo(12.5);
        assertThat(rewritten.clicksAtRank).containsExactly(0, 0, 3, 0, 0, 0, 0, 0, 0, 0);

        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<EngagementCounts> otherPojo =
                (TypeSerializerSnapshot)
                        roundTrip(
                                TypeInformation.of(EngagementSignal.class)
                                        .createSerializer(config)
                                        .snapshotConfiguration());
        assertThat(
                        codec.snapshotConfiguration()
                                .resolveSchemaCompatibility(otherPojo)
                                .isIncompatible())
                .isTrue();
    }

    @Test
    void anOlderFormatMigratesAndAnotherCodecOrANewerFormatIsRefused() throws IOException {
        TypeSerializerSnapshot<Tally> v1 =
                roundTrip(
                        AccumulatorTypeInfo.of(new TallyCodec(1))
                                .serializer()
                                .snapshotConfiguration());
        TypeSerializerSnapshot<Tally> v2 =
                roundTrip(
                        AccumulatorTypeInfo.of(new TallyCodec(2))
                                .serializer()
                                .snapshotConfiguration());

        TypeSerializerSchemaCompatibility<Tally> upgrade =
                AccumulatorTypeInfo.of(new TallyCodec(2))
                        .serializer()
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(v1);
        assertThat(upgrade.isCompatibleAfterMigration()).isTrue();
        // The restored serializer reads version 1 (an int), the current one writes version 2.
        DataOutputSerializer oldBytes = new DataOutputSerializer(8);
        oldBytes.writeInt(41);
        Tally migrated =
                v1.restoreSerializer()
                        .deserialize(new DataInputDeserializer(oldBytes.getCopyOfBuffer()));
        assertThat(migrated.count).isEqualTo(41);

        assertThat(
                        AccumulatorTypeInfo.of(new TallyCodec(1))
                                .serializer()
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(v2)
                                .isIncompatible())
                .isTrue();
        TypeSerializerSnapshot<ServiceHealthCounts> health =
                roundTrip(
                        AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20))
                                .serializer()
                                .snapshotConfiguration());
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<Tally> other = (TypeSerializerSnapshot) health;
        assertThat(
                        AccumulatorTypeInfo.of(new TallyCodec(2))
                                .serializer()
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(other)
                                .isIncompatible())
                .isTrue();
    }

    /** A counter whose form grew from an int (version 1) to a long (version 2). */
    static final class Tally implements SliceAccumulator<Object, Tally> {
        long count;

        @Override
        public void add(Object event) {
            count++;
        }

        @Override
        public Tally merge(Tally other) {
            count += other.count;
            return this;
        }

        @Override
        public Tally copy() {
            Tally copy = new Tally();
            copy.count = count;
            return copy;
        }
    }

    static final class TallyCodec implements AccumulatorCodec<Tally> {
        private static final long serialVersionUID = 1L;
        private final int version;

        TallyCodec(int version) {
            this.version = version;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public Tally create() {
            return new Tally();
        }

        @Override
        public Class<Tally> type() {
            return Tally.class;
        }

        @Override
        public void write(Tally value, DataOutputView out) throws IOException {
            if (version == 1) {
                out.writeInt((int) value.count);
            } else {
                out.writeLong(value.count);
            }
        }

        @Override
        public Tally read(int version, DataInputView in) throws IOException {
            Tally tally = new Tally();
            tally.count = version == 1 ? in.readInt() : in.readLong();
            return tally;
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof TallyCodec && ((TallyCodec) obj).version == version;
        }

        @Override
        public int hashCode() {
            return version;
        }
    }
}
