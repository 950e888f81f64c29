package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link PaneSketch} state, in the pane's own versioned binary form (format 2:
 * exact values or samples; format 1, KLL sketches in their DataSketches compact form, is still
 * read), so that the state never falls back to Kryo. With the heap state backend the pane is
 * updated in place and serialized only at checkpoints.
 */
public final class PaneSketchSerializer extends CompactTypeInfo.Serializer<PaneSketch> {
    private static final long serialVersionUID = 1L;

    public static final PaneSketchSerializer INSTANCE = new PaneSketchSerializer();

    @Override
    protected void write(PaneSketch pane, DataOutputView out) throws IOException {
        pane.write(out);
    }

    @Override
    protected PaneSketch read(DataInputView in) throws IOException {
        return PaneSketch.read(in);
    }

    @Override
    public PaneSketch createInstance() {
        return new PaneSketch(1);
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
