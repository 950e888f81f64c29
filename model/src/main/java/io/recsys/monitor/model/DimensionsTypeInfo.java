package io.recsys.monitor.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink type information for metric dimensions, a {@code TreeMap<String, String>} (see {@link
 * MetricPoint#dimensions} and {@link Alert#dimensions}). Flink has no serializer of its own for a
 * {@code TreeMap} and would fall back to Kryo; its {@code MapTypeInfo} would read back a {@code
 * HashMap}, which neither fits the field nor keeps the order that makes equal series print
 * identically. The wire format is the entry count, then each key and value as Flink strings.
 *
 * <p>Use on the field: {@code @TypeInfo(DimensionsTypeInfo.Factory.class)}.
 */
public final class DimensionsTypeInfo extends OpaqueTypeInfo<TreeMap<String, String>> {
    private static final long serialVersionUID = 1L;

    /** Hands Flink's type extractor a {@link DimensionsTypeInfo}. */
    public static final class Factory extends TypeInfoFactory<TreeMap<String, String>> {
        @Override
        public TypeInformation<TreeMap<String, String>> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new DimensionsTypeInfo();
        }
    }

    @Override
    public int getArity() {
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<TreeMap<String, String>> getTypeClass() {
        return (Class<TreeMap<String, String>>) (Class<?>) TreeMap.class;
    }

    @Override
    public TypeSerializer<TreeMap<String, String>> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TreeMap<String, String>";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof DimensionsTypeInfo;
    }

    @Override
    public int hashCode() {
        return DimensionsTypeInfo.class.hashCode();
    }

    /** Serializes a {@code TreeMap<String, String>}; stateless, so one instance serves all. */
    public static final class Serializer extends TypeSerializerSingleton<TreeMap<String, String>> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public TreeMap<String, String> createInstance() {
            return new TreeMap<>();
        }

        @Override
        public TreeMap<String, String> copy(TreeMap<String, String> from) {
            // Strings are immutable, so a shallow copy is a deep one.
            return new TreeMap<>(from);
        }

        @Override
        public TreeMap<String, String> copy(
                TreeMap<String, String> from, TreeMap<String, String> reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(TreeMap<String, String> map, DataOutputView target)
                throws IOException {
            target.writeInt(map.size());
            for (Map.Entry<String, String> entry : map.entrySet()) {
                StringValue.writeString(entry.getKey(), target);
                // writeString encodes null too, so a null value survives the trip.
                StringValue.writeString(entry.getValue(), target);
            }
        }

        @Override
        public TreeMap<String, String> deserialize(DataInputView source) throws IOException {
            int size = source.readInt();
            TreeMap<String, String> map = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                String key = StringValue.readString(source);
                map.put(key, StringValue.readString(source));
            }
            return map;
        }

        @Override
        public TreeMap<String, String> deserialize(
                TreeMap<String, String> reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int size = source.readInt();
            target.writeInt(size);
            for (int i = 0; i < 2 * size; i++) {
                StringValue.copyString(source, target);
            }
        }

        @Override
        public TypeSerializerSnapshot<TreeMap<String, String>> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores {@link Serializer} from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot
            extends SimpleTypeSerializerSnapshot<TreeMap<String, String>> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
