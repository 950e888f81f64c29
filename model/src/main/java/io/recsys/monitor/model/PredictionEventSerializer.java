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
        writeItems(p.recommendations, out);
        writeNumbers(p.numericFeatures, out);
        writeTexts(p.categoricalFeatures, out);
        writeNames(p.nullFeatures, out);
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
        p.recommendations = readItems(in);
        p.numericFeatures = readNumbers(in);
        p.categoricalFeatures = readTexts(in);
        p.nullFeatures = readNames(in);
        return p;
    }

    @Override
    public TypeSerializerSnapshot<PredictionEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeItems(List<RecommendedItem> items, DataOutputView out)
            throws IOException {
        if (items == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(items.size());
        for (RecommendedItem item : items) {
            out.writeBoolean(item != null);
            if (item != null) {
                WireText.write(item.itemId, out);
                out.writeDouble(item.score);
                WireText.write(item.category, out);
                out.writeDouble(item.price);
            }
        }
    }

    private static List<RecommendedItem> readItems(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        List<RecommendedItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!in.readBoolean()) {
                items.add(null);
                continue;
            }
            RecommendedItem item = new RecommendedItem();
            item.itemId = WireText.read(in);
            item.score = in.readDouble();
            item.category = WireText.read(in);
            item.price = in.readDouble();
            items.add(item);
        }
        return items;
    }

    private static void writeNumbers(Map<String, Double> numbers, DataOutputView out)
            throws IOException {
        if (numbers == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(numbers.size());
        for (Map.Entry<String, Double> e : numbers.entrySet()) {
            WireText.write(e.getKey(), out);
            Double value = e.getValue();
            out.writeBoolean(value != null);
            if (value != null) {
                out.writeDouble(value);
            }
        }
    }

    private static Map<String, Double> readNumbers(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        Map<String, Double> numbers = new HashMap<>(capacityFor(count));
        for (int i = 0; i < count; i++) {
            String name = WireText.read(in);
            numbers.put(name, in.readBoolean() ? in.readDouble() : null);
        }
        return numbers;
    }

    private static void writeTexts(Map<String, String> texts, DataOutputView out)
            throws IOException {
        if (texts == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(texts.size());
        for (Map.Entry<String, String> e : texts.entrySet()) {
            WireText.write(e.getKey(), out);
            WireText.write(e.getValue(), out);
        }
    }

    private static Map<String, String> readTexts(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        Map<String, String> texts = new HashMap<>(capacityFor(count));
        for (int i = 0; i < count; i++) {
            String name = WireText.read(in);
            texts.put(name, WireText.read(in));
        }
        return texts;
    }

    private static void writeNames(List<String> names, DataOutputView out) throws IOException {
        if (names == null) {
            out.writeInt(NULL_COLLECTION);
            return;
        }
        out.writeInt(names.size());
        for (String name : names) {
            WireText.write(name, out);
        }
    }

    private static List<String> readNames(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count == NULL_COLLECTION) {
            return null;
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(WireText.read(in));
        }
        return names;
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
