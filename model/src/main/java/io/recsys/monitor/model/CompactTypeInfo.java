package io.recsys.monitor.model;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for a type that writes itself in a compact byte form of its own
 * (accumulators: sketches as their DataSketches bytes, counters as numbers; events: their fields
 * without reflection), so that neither state nor the records between operators fall back to Kryo,
 * whose output changes with the class and bloats sketches, or to the POJO serializer, which reads
 * and writes every field through reflection.
 *
 * <p>An accumulator class declares {@code @TypeInfo(Xxx.Factory.class)} with a factory that returns
 * a {@code CompactTypeInfo} over its {@link Serializer}.
 */
public final class CompactTypeInfo<T> extends OpaqueTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final Serializer<T> serializer;

    public CompactTypeInfo(Class<T> type, Serializer<T> serializer) {
        this.type = Objects.requireNonNull(type);
        this.serializer = Objects.requireNonNull(serializer);
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return type.getSimpleName() + "(compact)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CompactTypeInfo && ((CompactTypeInfo<?>) obj).type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    /**
     * A stateless serializer that writes a value with {@link #write} and reads it with {@link
     * #read}. Copies go through the byte form, which is exact and keeps sketches independent; a
     * type that nothing changes once emitted overrides {@link #copy(Object)} to return the value
     * itself (see {@link UnchangedRecordTypeInfo}).
     */
    public abstract static class Serializer<T> extends TypeSerializerSingleton<T> {
        private static final long serialVersionUID = 1L;

        /**
         * Writes {@code value}; the format is the state format, so change it only with a version.
         */
        protected abstract void write(T value, DataOutputView out) throws IOException;

        protected abstract T read(DataInputView in) throws IOException;

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public T copy(T from) {
            try {
                DataOutputSerializer out = new DataOutputSerializer(256);
                write(from, out);
                return read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot copy " + from, e);
            }
        }

        @Override
        public T copy(T from, T reuse) {
            // Through copy(from), so that a type's own copy applies to both.
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            write(record, target);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            return read(source);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return read(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            write(read(source), target);
        }

        /** Writes a map of counters: the entry count, then each name and count. */
        protected static void writeCounts(java.util.Map<String, Long> counts, DataOutputView out)
                throws IOException {
            out.writeInt(counts.size());
            for (java.util.Map.Entry<String, Long> e : counts.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        }

        /** Reads what {@link #writeCounts} wrote, in name order. */
        protected static java.util.TreeMap<String, Long> readCounts(DataInputView in)
                throws IOException {
            int size = in.readInt();
            java.util.TreeMap<String, Long> counts = new java.util.TreeMap<>();
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                counts.put(name, in.readLong());
            }
            return counts;
        }

        /** The size of {@code value} in its byte form: what one state entry or record costs. */
        public int serializedSize(T value) {
            try {
                DataOutputSerializer out = new DataOutputSerializer(256);
                write(value, out);
                return out.length();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
