package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The pane of one model version that one subtask sketched before the shuffle to the drift operator
 * ({@link DriftPreAggregation}): the drift operator merges the partials of a pane in the order of
 * their {@link #source} subtask, so that which categories a full pane folds into {@value
 * PaneSketch#OTHER} does not depend on the order the network delivers them in.
 */
public final class DriftPanePartial {
    /** Its type between operators and in operator state, never Kryo. */
    public static final TypeInformation<DriftPanePartial> TYPE =
            new CompactTypeInfo<>(DriftPanePartial.class, Serializer.INSTANCE);

    public final String modelVersion;
    public final long paneStart;

    /** The index of the subtask that sketched it. */
    public final int source;

    public final PaneSketch sketch;

    public DriftPanePartial(String modelVersion, long paneStart, int source, PaneSketch sketch) {
        this.modelVersion = modelVersion;
        this.paneStart = paneStart;
        this.source = source;
        this.sketch = sketch;
    }

    @Override
    public String toString() {
        return "DriftPanePartial{"
                + modelVersion
                + " @"
                + paneStart
                + " from "
                + source
                + ", "
                + sketch.events()
                + " events}";
    }

    /** The partial's fields, then the pane in its checkpointed form. */
    public static final class Serializer extends CompactTypeInfo.Serializer<DriftPanePartial> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(DriftPanePartial partial, DataOutputView out) throws IOException {
            out.writeUTF(partial.modelVersion);
            out.writeLong(partial.paneStart);
            out.writeInt(partial.source);
            partial.sketch.write(out);
        }

        @Override
        protected DriftPanePartial read(DataInputView in) throws IOException {
            String modelVersion = in.readUTF();
            long paneStart = in.readLong();
            int source = in.readInt();
            return new DriftPanePartial(modelVersion, paneStart, source, PaneSketch.read(in));
        }

        @Override
        public DriftPanePartial createInstance() {
            return new DriftPanePartial("", 0, 0, new PaneSketch(1));
        }

        @Override
        public TypeSerializerSnapshot<DriftPanePartial> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No parameters; the pane's form carries its own version. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<DriftPanePartial> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
