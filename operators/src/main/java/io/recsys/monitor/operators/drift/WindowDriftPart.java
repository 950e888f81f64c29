package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.CompactTypeInfo;
import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What one window of some of a model version's drift units gave ({@link
 * WindowDriftEvaluator#evaluatePart}): the reports of its features, each with its rank in the
 * profile's order, their unseen-category shares, the prediction report, the events counted, or the
 * report that there is no reference. The parts of a window combine into its reports ({@link
 * WindowDriftEvaluator#combine}).
 */
@TypeInfo(WindowDriftPart.Factory.class)
public final class WindowDriftPart {
    /** Its type between operators and in keyed state, never Kryo. */
    public static final TypeInformation<WindowDriftPart> TYPE =
            new CompactTypeInfo<>(WindowDriftPart.class, Serializer.INSTANCE);

    public final String modelVersion;
    public final long windowStart;
    public final long windowEnd;

    /** Events of the window that this part counted (those of the model unit). */
    public long events;

    /** The report that no reference is known for the model version, or null. */
    public DriftReport noReference;

    /** Feature reports, decided, and each one's rank in the profile's order of features. */
    public final List<DriftReport> features = new ArrayList<>();

    public final List<Integer> featureRanks = new ArrayList<>();

    /** Unseen-category shares of categorical features, and each feature's rank. */
    public final List<MetricPoint> unseenShares = new ArrayList<>();

    public final List<Integer> unseenRanks = new ArrayList<>();

    /** The report on the prediction scores, or null. */
    public DriftReport prediction;

    public WindowDriftPart(String modelVersion, long windowStart, long windowEnd) {
        this.modelVersion = modelVersion;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    void addFeature(int rank, DriftReport report) {
        featureRanks.add(rank);
        features.add(report);
    }

    void addUnseenShare(int rank, MetricPoint share) {
        unseenRanks.add(rank);
        unseenShares.add(share);
    }

    /** Whether it holds nothing for its window: a unit without values the profile tests. */
    public boolean isEmpty() {
        return events == 0 && noReference == null && features.isEmpty() && prediction == null;
    }

    @Override
    public String toString() {
        return "WindowDriftPart{"
                + modelVersion
                + " ["
                + windowStart
                + ", "
                + windowEnd
                + "), "
                + features.size()
                + " features, "
                + events
                + " events}";
    }

    /** Gives Flink {@link #TYPE} wherever it meets the class. */
    public static final class Factory extends TypeInfoFactory<WindowDriftPart> {
        @Override
        public TypeInformation<WindowDriftPart> createTypeInfo(
                Type t, java.util.Map<String, TypeInformation<?>> genericParameters) {
            return TYPE;
        }
    }

    /** Every field in order; reports and points field by field. */
    public static final class Serializer extends CompactTypeInfo.Serializer<WindowDriftPart> {
        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(WindowDriftPart part, DataOutputView out) throws IOException {
            out.writeUTF(part.modelVersion);
            out.writeLong(part.windowStart);
            out.writeLong(part.windowEnd);
            out.writeLong(part.events);
            writeReport(part.noReference, out);
            out.writeInt(part.features.size());
            for (int i = 0; i < part.features.size(); i++) {
                out.writeInt(part.featureRanks.get(i));
                writeReport(part.features.get(i), out);
            }
            out.writeInt(part.unseenShares.size());
            for (int i = 0; i < part.unseenShares.size(); i++) {
                out.writeInt(part.unseenRanks.get(i));
                writePoint(part.unseenShares.get(i), out);
            }
            writeReport(part.prediction, out);
        }

        @Override
        protected WindowDriftPart read(DataInputView in) throws IOException {
            WindowDriftPart part = new WindowDriftPart(in.readUTF(), in.readLong(), in.readLong());
            part.events = in.readLong();
            part.noReference = readReport(in);
            int features = in.readInt();
            for (int i = 0; i < features; i++) {
                int rank = in.readInt();
                part.addFeature(rank, readReport(in));
            }
            int shares = in.readInt();
            for (int i = 0; i < shares; i++) {
                int rank = in.readInt();
                part.addUnseenShare(rank, readPoint(in));
            }
            part.prediction = readReport(in);
            return part;
        }

        private static void writeReport(DriftReport r, DataOutputView out) throws IOException {
            out.writeBoolean(r != null);
            if (r == null) {
                return;
            }
            writeText(r.modelVersion, out);
            writeText(r.feature, out);
            writeText(r.test, out);
            out.writeDouble(r.statistic);
            out.writeDouble(r.pValue);
            out.writeDouble(r.effectSize);
            out.writeLong(r.nReference);
            out.writeLong(r.nCurrent);
            out.writeDouble(r.errorBound);
            out.writeBoolean(r.drifted);
            out.writeInt(r.flaggedByMinutes);
            writeText(r.severity, out);
            writeText(r.referenceVersion, out);
            out.writeLong(r.windowStart);
            out.writeLong(r.windowEnd);
            out.writeBoolean(r.retrainingRecommended);
            out.writeDouble(r.psi);
            out.writeDouble(r.jensenShannon);
            out.writeDouble(r.varianceChange);
            out.writeInt(r.foldedCategories);
        }

        private static DriftReport readReport(DataInputView in) throws IOException {
            if (!in.readBoolean()) {
                return null;
            }
            DriftReport r = new DriftReport();
            r.modelVersion = readText(in);
            r.feature = readText(in);
            r.test = readText(in);
            r.statistic = in.readDouble();
            r.pValue = in.readDouble();
            r.effectSize = in.readDouble();
            r.nReference = in.readLong();
            r.nCurrent = in.readLong();
            r.errorBound = in.readDouble();
            r.drifted = in.readBoolean();
            r.flaggedByMinutes = in.readInt();
            r.severity = readText(in);
            r.referenceVersion = readText(in);
            r.windowStart = in.readLong();
            r.windowEnd = in.readLong();
            r.retrainingRecommended = in.readBoolean();
            r.psi = in.readDouble();
            r.jensenShannon = in.readDouble();
            r.varianceChange = in.readDouble();
            r.foldedCategories = in.readInt();
            return r;
        }

        private static void writePoint(MetricPoint p, DataOutputView out) throws IOException {
            writeText(p.namespace, out);
            writeText(p.metric, out);
            out.writeInt(p.dimensions.size());
            for (Map.Entry<String, String> d : p.dimensions.entrySet()) {
                out.writeUTF(d.getKey());
                out.writeUTF(d.getValue());
            }
            out.writeLong(p.timestamp);
            out.writeDouble(p.value);
            writeText(p.unit, out);
            out.writeLong(p.windowStart);
            out.writeLong(p.windowEnd);
            out.writeLong(p.samples);
            out.writeDouble(p.sampleStdDev);
        }

        private static MetricPoint readPoint(DataInputView in) throws IOException {
            MetricPoint p = new MetricPoint();
            p.namespace = readText(in);
            p.metric = readText(in);
            int dimensions = in.readInt();
            p.dimensions = new TreeMap<>();
            for (int i = 0; i < dimensions; i++) {
                String name = in.readUTF();
                p.dimensions.put(name, in.readUTF());
            }
            p.timestamp = in.readLong();
            p.value = in.readDouble();
            p.unit = readText(in);
            p.windowStart = in.readLong();
            p.windowEnd = in.readLong();
            p.samples = in.readLong();
            p.sampleStdDev = in.readDouble();
            return p;
        }

        private static void writeText(String text, DataOutputView out) throws IOException {
            out.writeBoolean(text != null);
            if (text != null) {
                out.writeUTF(text);
            }
        }

        private static String readText(DataInputView in) throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        @Override
        public WindowDriftPart createInstance() {
            return new WindowDriftPart("", 0, 0);
        }

        @Override
        public TypeSerializerSnapshot<WindowDriftPart> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No parameters. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<WindowDriftPart> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
