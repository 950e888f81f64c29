package io.recsys.monitor.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The byte form of an engagement signal between attribution and the funnel counts, one per feedback
 * event, written without reflection; a copy between chained operators is the signal itself, since
 * nothing changes a signal once emitted (see {@link UnchangedRecordTypeInfo}).
 *
 * <p>Format 1: event time, the kind's ordinal (-1 for none), items served, order value, rank, model
 * version and segment ({@link WireText}), then a flag and the four ranking figures.
 */
public final class EngagementSignalSerializer extends CompactTypeInfo.Serializer<EngagementSignal> {
    private static final long serialVersionUID = 1L;

    public static final EngagementSignalSerializer INSTANCE = new EngagementSignalSerializer();

    /** The type of signal streams between operators. */
    public static final TypeInformation<EngagementSignal> TYPE =
            new CompactTypeInfo<>(EngagementSignal.class, INSTANCE);

    private static final EngagementSignal.Kind[] KINDS = EngagementSignal.Kind.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public EngagementSignal createInstance() {
        return new EngagementSignal();
    }

    /** The event itself: nothing changes an event once emitted. */
    @Override
    public EngagementSignal copy(EngagementSignal from) {
        return from;
    }

    @Override
    protected void write(EngagementSignal s, DataOutputView out) throws IOException {
        out.writeLong(s.eventTime);
        out.writeByte(s.kind == null ? -1 : s.kind.ordinal());
        out.writeInt(s.itemsServed);
        out.writeDouble(s.orderValue);
        out.writeInt(s.rank);
        WireText.write(s.modelVersion, out);
        WireText.write(s.userSegment, out);
        RankingOutcome r = s.ranking;
        out.writeBoolean(r != null);
        if (r != null) {
            out.writeDouble(r.precisionAt10);
            out.writeDouble(r.recallAt10);
            out.writeDouble(r.ndcgAt10);
            out.writeDouble(r.reciprocalRank);
        }
    }

    @Override
    protected EngagementSignal read(DataInputView in) throws IOException {
        EngagementSignal s = new EngagementSignal();
        s.eventTime = in.readLong();
        int kind = in.readByte();
        s.kind = kind < 0 ? null : KINDS[kind];
        s.itemsServed = in.readInt();
        s.orderValue = in.readDouble();
        s.rank = in.readInt();
        s.modelVersion = WireText.read(in);
        s.userSegment = WireText.read(in);
        if (in.readBoolean()) {
            RankingOutcome r = new RankingOutcome();
            r.precisionAt10 = in.readDouble();
            r.recallAt10 = in.readDouble();
            r.ndcgAt10 = in.readDouble();
            r.reciprocalRank = in.readDouble();
            s.ranking = r;
        }
        return s;
    }

    @Override
    public TypeSerializerSnapshot<EngagementSignal> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EngagementSignal> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
