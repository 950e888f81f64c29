package io.recsys.monitor.model;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * Flink type information of an accumulator, from its {@link AccumulatorCodec} alone: the serializer
 * writes the codec's compact form, copies with {@link SliceAccumulator#copy()}, and its snapshot
 * records the codec and the version of the form, so that a savepoint names what wrote its state and
 * an accumulator needs no serializer, snapshot or factory class of its own.
 *
 * <p>On restore, state of the same codec and version is used as it is; state of an earlier version
 * is read with that version and rewritten in the current one (Flink's state migration); anything
 * else (another codec class, a newer version) is incompatible, and the restore fails rather than
 * misreading bytes. A snapshot of another class whose restore serializer is an accumulator
 * serializer (the snapshot class an accumulator had before this one, kept so that old savepoints
 * resolve) is judged the same way. State that Flink's POJO serializer wrote for the accumulator's
 * own class (an accumulator kept as a POJO before it had a codec) is read with that serializer and
 * rewritten by the codec.
 *
 * @param <A> the accumulator
 */
public final class AccumulatorTypeInfo<A extends SliceAccumulator<?, A>> extends OpaqueTypeInfo<A> {
    private static final long serialVersionUID = 1L;

    private final AccumulatorCodec<A> codec;

    private AccumulatorTypeInfo(AccumulatorCodec<A> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The type information of the accumulators {@code codec} writes. */
    public static <A extends SliceAccumulator<?, A>> AccumulatorTypeInfo<A> of(
            AccumulatorCodec<A> codec) {
        return new AccumulatorTypeInfo<>(codec);
    }

    /** The serializer, which needs no configuration. */
    public Serializer<A> serializer() {
        return new Serializer<>(codec, codec.version());
    }

    @Override
    public Class<A> getTypeClass() {
        return codec.type();
    }

    @Override
    public TypeSerializer<A> createSerializer(SerializerConfig config) {
        return serializer();
    }

    @Override
    public String toString() {
        return codec.type().getSimpleName() + "(codec v" + codec.version() + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof AccumulatorTypeInfo
                && ((AccumulatorTypeInfo<?>) obj).codec.equals(codec);
    }

    @Override
    public int hashCode() {
        return codec.hashCode();
    }

    /**
     * Writes accumulators with a codec and reads them in the codec's form of {@code formatVersion}:
     * the current version, or an earlier one for a serializer restored from an old snapshot, which
     * Flink only reads with (to migrate the state). Stateless: the codec holds configuration only.
     */
    public static final class Serializer<A extends SliceAccumulator<?, A>>
            extends CompactTypeInfo.Serializer<A> {
        private static final long serialVersionUID = 1L;

        private final AccumulatorCodec<A> codec;
        private final int formatVersion;

        public Serializer(AccumulatorCodec<A> codec, int formatVersion) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.formatVersion = formatVersion;
        }

        AccumulatorCodec<A> codec() {
            return codec;
        }

        int formatVersion() {
            return formatVersion;
        }

        @Override
        public A createInstance() {
            return codec.create();
        }

        @Override
        public A copy(A from) {
            return from.copy();
        }

        @Override
        protected void write(A record, DataOutputView out) throws IOException {
            codec.write(record, out);
        }

        @Override
        protected A read(DataInputView in) throws IOException {
            return codec.read(formatVersion, in);
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Serializer
                    && ((Serializer<?>) obj).formatVersion == formatVersion
                    && ((Serializer<?>) obj).codec.equals(codec);
        }

        @Override
        public int hashCode() {
            return 31 * codec.hashCode() + formatVersion;
        }

        @Override
        public TypeSerializerSnapshot<A> snapshotConfiguration() {
            return new Snapshot<>(codec, formatVersion);
        }
    }

    /**
     * Records the codec (its class and configuration) and the version of the form. Public with no
     * arguments, as Flink needs to read it back.
     */
    public static final class Snapshot<A extends SliceAccumulator<?, A>>
            implements TypeSerializerSnapshot<A> {
        private static final int VERSION = 1;

        private AccumulatorCodec<A> codec;
        private int formatVersion;

        public Snapshot() {}

        Snapshot(AccumulatorCodec<A> codec, int formatVersion) {
            this.codec = codec;
            this.formatVersion = formatVersion;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(formatVersion);
            byte[] bytes = InstantiationUtil.serializeObject(codec);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("Unknown accumulator snapshot version " + readVersion);
            }
            formatVersion = in.readInt();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            try {
                codec = InstantiationUtil.deserializeObject(bytes, classLoader);
            } catch (ClassNotFoundException e) {
                throw new IOException("The codec of a restored accumulator is gone", e);
            }
        }

        @Override
        public TypeSerializer<A> restoreSerializer() {
            return new Serializer<>(codec, formatVersion);
        }

        /** Called on this, the new snapshot, with the one restored from a savepoint. */
        @Override
        public TypeSerializerSchemaCompatibility<A> resolveSchemaCompatibility(
                TypeSerializerSnapshot<A> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                Object restored = oldSnapshot.restoreSerializer().createInstance();
                return restored != null && restored.getClass() == codec.type()
                        ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                        : TypeSerializerSchemaCompatibility.incompatible();
            }
            if (!(oldSnapshot.restoreSerializer() instanceof Serializer)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            Serializer<A> old = (Serializer<A>) oldSnapshot.restoreSerializer();
            return compatibility(old.codec(), old.formatVersion(), codec, formatVersion);
        }

        /** The path of Flink versions before 1.19: called on the old snapshot. */
        @Override
        @Deprecated
        public TypeSerializerSchemaCompatibility<A> resolveSchemaCompatibility(
                TypeSerializer<A> newSerializer) {
            if (!(newSerializer instanceof Serializer)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            Serializer<A> current = (Serializer<A>) newSerializer;
            return compatibility(codec, formatVersion, current.codec(), current.formatVersion());
        }

        private static <A> TypeSerializerSchemaCompatibility<A> compatibility(
                AccumulatorCodec<?> oldCodec,
                int oldVersion,
                AccumulatorCodec<?> newCodec,
                int newVersion) {
            if (oldCodec.getClass() != newCodec.getClass() || oldVersion > newVersion) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            // The restored serializer reads the old form; the state is rewritten in the new one.
            return oldVersion == newVersion
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
