package io.recsys.monitor.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The byte form of a feedback event between operators, written without reflection (feedback is
 * about nine in ten events); a copy between chained operators is the event itself, since no
 * operator changes an event once emitted (see {@link UnchangedRecordTypeInfo}).
 *
 * <p>Format 1: event time, order value, rating, the action's ordinal (-1 for none), then request,
 * user and item ids (null allowed, as {@link WireText} writes them).
 */
public final class FeedbackEventSerializer extends CompactTypeInfo.Serializer<FeedbackEvent> {
    private static final long serialVersionUID = 1L;

    public static final FeedbackEventSerializer INSTANCE = new FeedbackEventSerializer();

    /** The type of feedback streams between operators. */
    public static final TypeInformation<FeedbackEvent> TYPE =
            new CompactTypeInfo<>(FeedbackEvent.class, INSTANCE);

    private static final FeedbackAction[] ACTIONS = FeedbackAction.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public FeedbackEvent createInstance() {
        return new FeedbackEvent();
    }

    /** The event itself: nothing changes an event once emitted. */
    @Override
    public FeedbackEvent copy(FeedbackEvent from) {
        return from;
    }

    @Override
    protected void write(FeedbackEvent f, DataOutputView out) throws IOException {
        out.writeLong(f.eventTime);
        out.writeDouble(f.orderValue);
        out.writeDouble(f.rating);
        out.writeByte(f.action == null ? -1 : f.action.ordinal());
        WireText.write(f.requestId, out);
        WireText.write(f.userId, out);
        WireText.write(f.itemId, out);
    }

    @Override
    protected FeedbackEvent read(DataInputView in) throws IOException {
        FeedbackEvent f = new FeedbackEvent();
        f.eventTime = in.readLong();
        f.orderValue = in.readDouble();
        f.rating = in.readDouble();
        int action = in.readByte();
        f.action = action < 0 ? null : ACTIONS[action];
        f.requestId = WireText.read(in);
        f.userId = WireText.read(in);
        f.itemId = WireText.read(in);
        return f;
    }

    @Override
    public TypeSerializerSnapshot<FeedbackEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FeedbackEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
