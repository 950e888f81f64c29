package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.CompactTypeInfo;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.FeedbackEventSerializer;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The state form of a {@link RequestAttribution}, written without reflection.
 *
 * <p>Format 1: a byte of flags (1: a response follows, 2: a closing time follows), the response in
 * the form of {@link ServedResponseSerializer}, the closing time, then the number of waiting
 * feedback events and each in the form of {@link FeedbackEventSerializer}.
 */
public final class RequestAttributionSerializer
        extends CompactTypeInfo.Serializer<RequestAttribution> {
    private static final long serialVersionUID = 1L;

    public static final RequestAttributionSerializer INSTANCE = new RequestAttributionSerializer();

    /** The type of attribution's per-request state. */
    public static final TypeInformation<RequestAttribution> TYPE =
            new CompactTypeInfo<>(RequestAttribution.class, INSTANCE);

    private static final int RESPONSE = 1;
    private static final int CLOSED = 2;

    @Override
    public RequestAttribution createInstance() {
        return new RequestAttribution();
    }

    @Override
    protected void write(RequestAttribution r, DataOutputView out) throws IOException {
        int flags =
                (r.response != null ? RESPONSE : 0) | (r.closedResponseTime != null ? CLOSED : 0);
        out.writeByte(flags);
        if (r.response != null) {
            ServedResponseSerializer.INSTANCE.serialize(r.response, out);
        }
        if (r.closedResponseTime != null) {
            out.writeLong(r.closedResponseTime);
        }
        out.writeInt(r.waiting.size());
        for (FeedbackEvent feedback : r.waiting) {
            FeedbackEventSerializer.INSTANCE.serialize(feedback, out);
        }
    }

    @Override
    protected RequestAttribution read(DataInputView in) throws IOException {
        RequestAttribution r = new RequestAttribution();
        int flags = in.readByte();
        if ((flags & RESPONSE) != 0) {
            r.response = ServedResponseSerializer.INSTANCE.deserialize(in);
        }
        if ((flags & CLOSED) != 0) {
            r.closedResponseTime = in.readLong();
        }
        int waiting = in.readInt();
        if (waiting > 0) {
            r.waiting = new ArrayList<>(waiting);
            for (int i = 0; i < waiting; i++) {
                r.waiting.add(FeedbackEventSerializer.INSTANCE.deserialize(in));
            }
        }
        return r;
    }

    @Override
    public TypeSerializerSnapshot<RequestAttribution> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RequestAttribution> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
