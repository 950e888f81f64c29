package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.OpaqueTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for {@link RecommendationSketch}: stored as a length-prefixed copy of its
 * compact byte form ({@link RecommendationSketch#toBytes()}), so that window state and records hold
 * a few kilobytes per slice, and Kryo (which would walk the sketches' internal arrays and break on
 * any library upgrade) never sees it. Attached to the class with {@code @TypeInfo}.
 */
public final class RecommendationSketchTypeInfo extends OpaqueTypeInfo<RecommendationSketch> {
    private static final long serialVersionUID = 1L;

    /** Hands Flink's type extractor a {@link RecommendationSketchTypeInfo}. */
    public static final class Factory extends TypeInfoFactory<RecommendationSketch> {
        @Override
        public TypeInformation<RecommendationSketch> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecommendationSketchTypeInfo();
        }
    }

    @Override
    public int getArity() {
        return 0;
    }

    @Override
    public Class<RecommendationSketch> getTypeClass() {
        return RecommendationSketch.class;
    }

    @Override
    public TypeSerializer<RecommendationSketch> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RecommendationSketch";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof RecommendationSketchTypeInfo;
    }

    @Override
    public int hashCode() {
        return RecommendationSketchTypeInfo.class.hashCode();
    }

    /** Writes the byte length, then the compact bytes; stateless, so one instance serves all. */
    public static final class Serializer extends TypeSerializerSingleton<RecommendationSketch> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public RecommendationSketch createInstance() {
            return new RecommendationSketch();
        }

        @Override
        public RecommendationSketch copy(RecommendationSketch from) {
            return from.copy();
        }

        @Override
        public RecommendationSketch copy(RecommendationSketch from, RecommendationSketch reuse) {
            return from.copy();
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(RecommendationSketch sketch, DataOutputView target)
                throws IOException {
            byte[] bytes = sketch.toBytes();
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public RecommendationSketch deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return RecommendationSketch.fromBytes(bytes);
        }

        @Override
        public RecommendationSketch deserialize(RecommendationSketch reuse, DataInputView source)
                throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<RecommendationSketch> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores {@link Serializer} from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RecommendationSketch> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
