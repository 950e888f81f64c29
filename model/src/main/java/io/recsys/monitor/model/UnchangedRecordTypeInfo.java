package io.recsys.monitor.model;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Type information for records that no operator changes once they are emitted, such as parsed input
 * on its way through the source chain: a chained operator receives the same object instead of a
 * deep copy. Without object reuse (a job-wide switch, and off here) Flink copies every record
 * between chained operators with its serializer, which for a prediction with its feature maps and
 * recommendations cost about a tenth of the source chain. The byte form, used across the network,
 * is the wrapped type's. (Types with a compact serializer of their own, such as {@link
 * PredictionEventSerializer}, say the same by returning the record from their copy.)
 *
 * <p>Only for types that are never mutated after being emitted. Not for state: the snapshot is the
 * wrapped serializer's, so state restored from it would read back as the wrapped type, with copies
 * again.
 */
public final class UnchangedRecordTypeInfo<T> extends OpaqueTypeInfo<T> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<T> wrapped;

    public UnchangedRecordTypeInfo(TypeInformation<T> wrapped) {
        this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    }

    /** The type information of {@code type} (a POJO, usually), handed on without copies. */
    public static <T> UnchangedRecordTypeInfo<T> of(Class<T> type) {
        return new UnchangedRecordTypeInfo<>(TypeInformation.of(type));
    }

    @Override
    public int getArity() {
        return wrapped.getArity();
    }

    @Override
    public int getTotalFields() {
        return wrapped.getTotalFields();
    }

    @Override
    public Class<T> getTypeClass() {
        return wrapped.getTypeClass();
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new Serializer<>(wrapped.createSerializer(config));
    }

    @Override
    public String toString() {
        return wrapped + "(unchanged once emitted)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof UnchangedRecordTypeInfo
                && ((UnchangedRecordTypeInfo<?>) obj).wrapped.equals(wrapped);
    }

    @Override
    public int hashCode() {
        return 31 * wrapped.hashCode() + 7;
    }

    /** The wrapped serializer, except that a copy is the record itself. */
    static final class Serializer<T> extends TypeSerializer<T> {
        private static final long serialVersionUID = 1L;

        private final TypeSerializer<T> wrapped;

        Serializer(TypeSerializer<T> wrapped) {
            this.wrapped = wrapped;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<T> duplicate() {
            TypeSerializer<T> copy = wrapped.duplicate();
            return copy == wrapped ? this : new Serializer<>(copy);
        }

        @Override
        public T createInstance() {
            return wrapped.createInstance();
        }

        @Override
        public T copy(T from) {
            return from;
        }

        @Override
        public T copy(T from, T reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return wrapped.getLength();
        }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            wrapped.serialize(record, target);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            return wrapped.deserialize(source);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return wrapped.deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            wrapped.copy(source, target);
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Serializer && ((Serializer<?>) obj).wrapped.equals(wrapped);
        }

        @Override
        public int hashCode() {
            return 31 * wrapped.hashCode() + 7;
        }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return wrapped.snapshotConfiguration();
        }
    }
}
