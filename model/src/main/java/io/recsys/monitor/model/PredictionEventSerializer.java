package io.recsys.monitor.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The byte form of a prediction between operators, written field by field without reflection:
 * Flink's POJO serializer reads and writes every field through reflection and frames each nested
 * item and map entry, which made serialization and deserialization of predictions a large share of
 * the job's CPU. A copy between chained operators is the event itself, since no operator changes an
 * event once emitted (see {@link UnchangedRecordTypeInfo}).
 *
 * <p>Format 1: event time, latency, a flag byte (error), the five strings (null allowed, as {@link
 * WireText} writes them), then the recommendations, numerical features, categorical features and
 * null features, each as a count (-1 for a null collection) and its entries.
 */
public final class PredictionEventSerializer extends CompactTypeInfo.Serializer<PredictionEvent> {
    private static final long serialVersionUID = 1L;

    public static final PredictionEventSerializer INSTANCE = new PredictionEventSerializer();

    /** The type of prediction streams between operators. */
    public static final TypeInformation<PredictionEvent> TYPE =
            new CompactTypeInfo<>(PredictionEvent.class, INSTANCE);

    private static final int NULL_COLLECTION = -1;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public PredictionEvent createInstance() {
        return new PredictionEvent();
    }

    /** The event itself: nothing changes an event once emitted. */
    @Override
    public PredictionEvent copy(PredictionEvent from) {
        return from;
    }

    @Override
    protected void write(PredictionEvent p, DataOutputView out) throws IOException {
        out.writeLong(p.eventTime);
        out.writeDouble(p.latencyMs);
        out.writeBoolean(p.error);
        WireText.write(p.requestId, out);
        WireText.write(p.userId, out);
        WireText.write(p.userSegment, out);
        WireText.write(p.modelVersion, out);
        WireText.write(p.errorType, out);
        writeList(p.recommendations, PredictionEventSerializer::writeItem, out);
        writeMap(p.numericFeatures, PredictionEventSerializer::writeNumber, out);
        writeMap(p.categoricalFeatures, WireText::write, out);
        writeList(p.nullFeatures, WireText::write, out);
    }

    @Override
    protected PredictionEvent read(DataInputView in) throws IOException {
        PredictionEvent p = new PredictionEvent();
        p.eventTime = in.readLong();
        p.latencyMs = in.readDouble();
        p.error = in.readBoolean();
        p.requestId = WireText.read(in);
        p.userId = WireText.read(in);
        p.userSegment = WireText.read(in);
        p.modelVersion = WireText.read(in);
        p.errorType = WireText.read(in);
        p.recommendations = readList(in, PredictionEventSerializer::readItem);
        p.numericFeatures = readMap(in, PredictionEventSerializer::readNumber);
        p.categoricalFeatures = readMap(in, WireText::read);
        p.nullFeatures = readList(in, WireText::read);
        return p;
    }

    @Override
    public TypeSerializerSnapshot<PredictionEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Writes one element of a collection; the element may be null where the format allows. */
    private interface ElementWriter<T> {
        void write(T element, DataOutputView out) throws IOException;
    }

    private interface ElementReader<T> {
        T read(DataInputView in) throws IOException;
    }

    private static <T> void writeList(
            List<T> list, ElementWriter<? super T> element, DataOutputView out) throws IOException {
        if (list == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(list.size());
        for (T e : list) {
            element.write(e, out);
        }
    }

    private static <T> List<T> readList(DataInputView in, ElementReader<T> element)
            throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(element.read(in));
        }
        return list;
    }

    /** A map as a count and its entries, each a name and its value. */
    private static <V> void writeMap(
            Map<String, V> map, ElementWriter<? super V> value, DataOutputView out)
            throws IOException {
        if (map == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, V> e : map.entrySet()) {
            WireText.write(e.getKey(), out);
            value.write(e.getValue(), out);
        }
    }

    private static <V> Map<String, V> readMap(DataInputView in, ElementReader<V> value)
            throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        Map<String, V> map = new HashMap<>(capacityFor(count));
        for (int i = 0; i < count; i++) {
            String name = WireText.read(in);
            map.put(name, value.read(in));
        }
        return map;
    }

    /** A presence flag, then the item's fields. */
    private static void writeItem(RecommendedItem item, DataOutputView out) throws IOException {
        out.writeBoolean(item != null);
        if (item != null) {
            WireText.write(item.itemId, out);
            out.writeDouble(item.score);
            WireText.write(item.category, out);
            out.writeDouble(item.price);
        }
    }

    private static RecommendedItem readItem(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        RecommendedItem item = new RecommendedItem();
        item.itemId = WireText.read(in);
        item.score = in.readDouble();
        item.category = WireText.read(in);
        item.price = in.readDouble();
        return item;
    }

    /** A presence flag, then the value: a numeric feature may map to null. */
    private static void writeNumber(Double value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readNumber(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static int capacityFor(int entries) {
        return entries * 4 / 3 + 1;
    }

    /** Restores the serializer from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PredictionEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
