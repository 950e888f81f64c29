package io.recsys.monitor.model;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.ExecutionConfig;
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
 * is either the wrapped type's or that of a given serializer whose copy is the record itself (the
 * events' own serializers, {@link PredictionEventSerializer} and {@link FeedbackEventSerializer}).
 *
 * <p>Only for types that are never mutated after being emitted. Not for state: the snapshot of a
 * wrapped type is the wrapped serializer's, so state restored from it would read back as the
 * wrapped type, with copies again.
 */
public final class UnchangedRecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    /** The type whose serializer is wrapped; null when {@link #serializer} is given. */
    private final TypeInformation<T> wrapped;

    /** A serializer whose copy is already the record itself; null when a type is wrapped. */
    private final TypeSerializer<T> serializer;

    public UnchangedRecordTypeInfo(TypeInformation<T> wrapped) {
        this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
        this.type = wrapped.getTypeClass();
        this.serializer = null;
    }

    /** With {@code serializer}, whose {@code copy} must return the record itself. */
    public UnchangedRecordTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        this.type = Objects.requireNonNull(type, "type");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.wrapped = null;
    }

    /** The type information of {@code type} (a POJO, usually), handed on without copies. */
    public static <T> UnchangedRecordTypeInfo<T> of(Class<T> type) {
        return new UnchangedRecordTypeInfo<>(TypeInformation.of(type));
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return wrapped == null ? 1 : wrapped.getArity();
    }

    @Override
    public int getTotalFields() {
        return wrapped == null ? 1 : wrapped.getTotalFields();
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return wrapped == null ? serializer : new Serializer<>(wrapped.createSerializer(config));
    }

    /** Still abstract in Flink 1.20, so implemented as well. */
    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return wrapped == null ? serializer : new Serializer<>(wrapped.createSerializer(config));
    }

    @Override
    public String toString() {
        return (wrapped == null ? type.getSimpleName() : wrapped.toString())
                + "(unchanged once emitted)";
    }

    @Override
    public boolean equals(Object obj) {
        if (!(obj instanceof UnchangedRecordTypeInfo)) {
            return false;
        }
        UnchangedRecordTypeInfo<?> that = (UnchangedRecordTypeInfo<?>) obj;
        return type == that.type
                && Objects.equals(wrapped, that.wrapped)
                && Objects.equals(serializer, that.serializer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, wrapped, serializer);
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof UnchangedRecordTypeInfo;
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
