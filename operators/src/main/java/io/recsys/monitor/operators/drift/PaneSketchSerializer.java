package io.recsys.monitor.operators.drift;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link PaneSketch} state, in the pane's own versioned binary form (format 2:
 * exact values or samples; format 1, KLL sketches in their DataSketches compact form, is still
 * read), so that the state never falls back to Kryo. With the heap state backend the pane is
 * updated in place and serialized only at checkpoints.
 */
public final class PaneSketchSerializer extends TypeSerializer<PaneSketch> {
    private static final long serialVersionUID = 1L;

    public static final PaneSketchSerializer INSTANCE = new PaneSketchSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<PaneSketch> duplicate() {
        return this;
    }

    @Override
    public PaneSketch createInstance() {
        return new PaneSketch(1);
    }

    @Override
    public PaneSketch copy(PaneSketch from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            from.write(out);
            return PaneSketch.read(
                    new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot copy pane sketch", e);
        }
    }

    @Override
    public PaneSketch copy(PaneSketch from, PaneSketch reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PaneSketch record, DataOutputView target) throws IOException {
        record.write(target);
    }

    @Override
    public PaneSketch deserialize(DataInputView source) throws IOException {
        return PaneSketch.read(source);
    }

    @Override
    public PaneSketch deserialize(PaneSketch reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PaneSketchSerializer;
    }

    @Override
    public int hashCode() {
        return PaneSketchSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<PaneSketch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no parameters; its data format carries its own version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PaneSketch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
