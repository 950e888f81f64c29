package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.CompactTypeInfo;
import io.recsys.monitor.model.WireText;
import java.io.IOException;
import java.util.ArrayList;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The state form of a {@link ServedResponse}, written without reflection. Attribution reads a
 * response for every feedback event, and on RocksDB every read deserializes it: through the POJO
 * serializer that was a quarter of attribution's time, most of it in reading the item ids char by
 * char.
 *
 * <p>Format 1: event time, model version, segment and each item id ({@link WireText}), the number
 * of items first, then the number of relevant ranks and each rank. State written by the POJO
 * serializer of earlier versions is migrated when it is restored: Flink reads it with the old
 * serializer and writes it with this one.
 */
public final class ServedResponseSerializer extends CompactTypeInfo.Serializer<ServedResponse> {
    private static final long serialVersionUID = 1L;

    public static final ServedResponseSerializer INSTANCE = new ServedResponseSerializer();

    /** The type of attribution's served-response state. */
    public static final TypeInformation<ServedResponse> TYPE =
            new CompactTypeInfo<>(ServedResponse.class, INSTANCE);

    @Override
    public ServedResponse createInstance() {
        return new ServedResponse();
    }

    @Override
    protected void write(ServedResponse r, DataOutputView out) throws IOException {
        out.writeLong(r.eventTime);
        WireText.write(r.modelVersion, out);
        WireText.write(r.userSegment, out);
        out.writeInt(r.itemIds.size());
        for (String item : r.itemIds) {
            WireText.write(item, out);
        }
        out.writeInt(r.relevantRanks.size());
        for (Integer rank : r.relevantRanks) {
            out.writeInt(rank);
        }
    }

    @Override
    protected ServedResponse read(DataInputView in) throws IOException {
        ServedResponse r = new ServedResponse();
        r.eventTime = in.readLong();
        r.modelVersion = WireText.read(in);
        r.userSegment = WireText.read(in);
        int items = in.readInt();
        r.itemIds = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            r.itemIds.add(WireText.read(in));
        }
        int ranks = in.readInt();
        r.relevantRanks = new ArrayList<>(Math.max(ranks, 4));
        for (int i = 0; i < ranks; i++) {
            r.relevantRanks.add(in.readInt());
        }
        return r;
    }

    @Override
    public TypeSerializerSnapshot<ServedResponse> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ServedResponse> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ServedResponse> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ServedResponse> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof PojoSerializerSnapshot) {
                // Savepoints of versions that kept responses as a POJO.
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }
}
