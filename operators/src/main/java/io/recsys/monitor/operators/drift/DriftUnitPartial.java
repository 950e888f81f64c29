package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * One drift unit ({@link DriftUnit}) of a pane partial ({@link DriftPanePartial}), the record of
 * the rolling drift stage keyed by model version and unit; or, once, what the previous release's
 * drift operator held for a unit ({@link Kind}), handed on by {@link DriftStateHandOff}.
 */
@TypeInfo(DriftUnitPartial.Factory.class)
public final class DriftUnitPartial {
    /** Its type between operators, never Kryo. */
    public static final TypeInformation<DriftUnitPartial> TYPE =
            new CompactTypeInfo<>(DriftUnitPartial.class, Serializer.INSTANCE);

    /** What the record brings. */
    public enum Kind {
        /** A source subtask's part of a pane, as sketched before the shuffle. */
        PART,
        /** A pane the previous release held in keyed state: goes into keyed state as it is. */
        RESTORED_PANE,
        /**
         * A pending part the previous release held (source {@link PendingPanes#MERGED_SOURCES} for
         * the release before it): merges before any part of the same source that came since.
         */
        RESTORED_PART,
        /** An event-time timer the previous release had registered for the model version. */
        RESTORED_TIMER
    }

    public final Kind kind;
    public final String modelVersion;
    public final String unit;

    /** The pane's start; for {@link Kind#RESTORED_TIMER} the timer's time. */
    public final long paneStart;

    /** The index of the subtask that sketched it. */
    public final int source;

    /** The unit's sketch; empty for {@link Kind#RESTORED_TIMER}. */
    public final PaneSketch sketch;

    public DriftUnitPartial(
            Kind kind,
            String modelVersion,
            String unit,
            long paneStart,
            int source,
            PaneSketch sketch) {
        this.kind = kind;
        this.modelVersion = modelVersion;
        this.unit = unit;
        this.paneStart = paneStart;
        this.source = source;
        this.sketch = sketch;
    }

    /** A source subtask's part of a unit of a pane. */
    public static DriftUnitPartial part(
            String modelVersion, String unit, long paneStart, int source, PaneSketch sketch) {
        return new DriftUnitPartial(Kind.PART, modelVersion, unit, paneStart, source, sketch);
    }

    /** The key of the rolling drift stage. */
    public String key() {
        return DriftUnit.key(modelVersion, unit);
    }

    @Override
    public String toString() {
        return "DriftUnitPartial{"
                + kind
                + " "
                + modelVersion
                + "/"
                + unit
                + " @"
                + paneStart
                + " from "
                + source
                + ", "
                + sketch.events()
                + " events}";
    }

    /** Gives Flink {@link #TYPE} wherever it meets the class. */
    public static final class Factory extends TypeInfoFactory<DriftUnitPartial> {
        @Override
        public TypeInformation<DriftUnitPartial> createTypeInfo(
                Type t, java.util.Map<String, TypeInformation<?>> genericParameters) {
            return TYPE;
        }
    }

    /** The record's fields, then the unit's sketch in its checkpointed form. */
    public static final class Serializer extends CompactTypeInfo.Serializer<DriftUnitPartial> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(DriftUnitPartial partial, DataOutputView out) throws IOException {
            out.writeByte(partial.kind.ordinal());
            out.writeUTF(partial.modelVersion);
            out.writeUTF(partial.unit);
            out.writeLong(partial.paneStart);
            out.writeInt(partial.source);
            partial.sketch.write(out);
        }

        @Override
        protected DriftUnitPartial read(DataInputView in) throws IOException {
            Kind kind = Kind.values()[in.readByte()];
            String modelVersion = in.readUTF();
            String unit = in.readUTF();
            long paneStart = in.readLong();
            int source = in.readInt();
            return new DriftUnitPartial(
                    kind, modelVersion, unit, paneStart, source, PaneSketch.read(in));
        }

        @Override
        public DriftUnitPartial createInstance() {
            return part("", DriftUnit.MODEL, 0, 0, new PaneSketch(1));
        }

        @Override
        public TypeSerializerSnapshot<DriftUnitPartial> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No parameters; the pane's form carries its own version. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<DriftUnitPartial> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
