package io.recsys.monitor.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the data quality metrics of one window are computed from: events per stream, predictions per
 * status, how many predictions carried each feature with a value, missing optional fields, broken
 * validity rules and dead letters per category. Counters only: the number of entries is bounded by
 * the contract (fields, rules, categories) and by a cap on distinct feature names, never by the
 * traffic. Two of them merge into the counts of the union of their events.
 *
 * <p>The maps are keyed by the names that become metric dimensions; see {@code
 * io.recsys.monitor.operators.dataquality.DataQualityMetrics} for what each entry means.
 */
@TypeInfo(DataQualityCounts.Factory.class)
public final class DataQualityCounts {
    public long predictions;
    public long okPredictions;
    public long errorPredictions;
    public long feedback;
    public long deadLetters;

    /** Predictions that carried the feature with a non-null value, by feature name. */
    public final TreeMap<String, Long> featurePresent = new TreeMap<>();

    /** Feature names not tracked because {@link #featurePresent} was at its cap. */
    public long featuresOverCap;

    /** Events missing an optional or required field, by field name. */
    public final TreeMap<String, Long> fieldMissing = new TreeMap<>();

    /** Broken validity rules, by rule name. */
    public final TreeMap<String, Long> violations = new TreeMap<>();

    /** Dead letters by category. */
    public final TreeMap<String, Long> invalidByCategory = new TreeMap<>();

    /**
     * Predictions with a value of a capped dimension beyond its cap, by the dimension's metric name
     * (ModelVersion, UserSegment, Feature): at most one entry per capped dimension.
     */
    public final TreeMap<String, Long> folded = new TreeMap<>();

    /** Counts the presence of {@code feature}, unless {@code maxFeatures} other names are held. */
    public void featureSeen(String feature, long count, int maxFeatures) {
        if (featurePresent.containsKey(feature) || featurePresent.size() < maxFeatures) {
            featurePresent.merge(feature, count, Long::sum);
        } else {
            featuresOverCap += count;
        }
    }

    public static void increment(TreeMap<String, Long> counts, String name, long by) {
        counts.merge(name, by, Long::sum);
    }

    /** Adds {@code other} into this, keeping at most {@code maxFeatures} feature names. */
    public DataQualityCounts merge(DataQualityCounts other, int maxFeatures) {
        predictions += other.predictions;
        okPredictions += other.okPredictions;
        errorPredictions += other.errorPredictions;
        feedback += other.feedback;
        deadLetters += other.deadLetters;
        featuresOverCap += other.featuresOverCap;
        for (Map.Entry<String, Long> e : other.featurePresent.entrySet()) {
            featureSeen(e.getKey(), e.getValue(), maxFeatures);
        }
        other.fieldMissing.forEach((k, v) -> increment(fieldMissing, k, v));
        other.violations.forEach((k, v) -> increment(violations, k, v));
        other.invalidByCategory.forEach((k, v) -> increment(invalidByCategory, k, v));
        other.folded.forEach((k, v) -> increment(folded, k, v));
        return this;
    }

    @Override
    public String toString() {
        return "DataQualityCounts{predictions="
                + predictions
                + ", feedback="
                + feedback
                + ", deadLetters="
                + deadLetters
                + ", features="
                + featurePresent.size()
                + ", fieldMissing="
                + fieldMissing
                + ", violations="
                + violations
                + ", invalid="
                + invalidByCategory
                + (folded.isEmpty() ? "" : ", folded=" + folded)
                + "}";
    }

    /** Hands Flink's type extractor the compact type information. */
    public static final class Factory extends TypeInfoFactory<DataQualityCounts> {
        @Override
        public TypeInformation<DataQualityCounts> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(DataQualityCounts.class, Serializer.INSTANCE);
        }
    }

    /**
     * Format 2: the five counters, the feature counts, the overflow, the three maps, then the
     * folded values per dimension. Format 1, without the last map, is read from older checkpoints
     * ({@link Snapshot}).
     */
    public static final class Serializer extends CompactTypeInfo.Serializer<DataQualityCounts> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public DataQualityCounts createInstance() {
            return new DataQualityCounts();
        }

        @Override
        protected void write(DataQualityCounts v, DataOutputView out) throws IOException {
            writeFormat1(v, out);
            writeCounts(v.folded, out);
        }

        @Override
        protected DataQualityCounts read(DataInputView in) throws IOException {
            DataQualityCounts v = readFormat1(in);
            v.folded.putAll(readCounts(in));
            return v;
        }

        @Override
        public TypeSerializerSnapshot<DataQualityCounts> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Format 1, of checkpoints taken before dimensions were capped: reads them for migration. */
    static final class Format1Serializer extends CompactTypeInfo.Serializer<DataQualityCounts> {
        private static final long serialVersionUID = 1L;
        static final Format1Serializer INSTANCE = new Format1Serializer();

        @Override
        public DataQualityCounts createInstance() {
            return new DataQualityCounts();
        }

        @Override
        protected void write(DataQualityCounts v, DataOutputView out) throws IOException {
            writeFormat1(v, out);
        }

        @Override
        protected DataQualityCounts read(DataInputView in) throws IOException {
            return readFormat1(in);
        }

        @Override
        public TypeSerializerSnapshot<DataQualityCounts> snapshotConfiguration() {
            return new Snapshot(Snapshot.FORMAT_1_VERSION);
        }
    }

    private static void writeFormat1(DataQualityCounts v, DataOutputView out) throws IOException {
        out.writeLong(v.predictions);
        out.writeLong(v.okPredictions);
        out.writeLong(v.errorPredictions);
        out.writeLong(v.feedback);
        out.writeLong(v.deadLetters);
        CompactTypeInfo.Serializer.writeCounts(v.featurePresent, out);
        out.writeLong(v.featuresOverCap);
        CompactTypeInfo.Serializer.writeCounts(v.fieldMissing, out);
        CompactTypeInfo.Serializer.writeCounts(v.violations, out);
        CompactTypeInfo.Serializer.writeCounts(v.invalidByCategory, out);
    }

    private static DataQualityCounts readFormat1(DataInputView in) throws IOException {
        DataQualityCounts v = new DataQualityCounts();
        v.predictions = in.readLong();
        v.okPredictions = in.readLong();
        v.errorPredictions = in.readLong();
        v.feedback = in.readLong();
        v.deadLetters = in.readLong();
        v.featurePresent.putAll(CompactTypeInfo.Serializer.readCounts(in));
        v.featuresOverCap = in.readLong();
        v.fieldMissing.putAll(CompactTypeInfo.Serializer.readCounts(in));
        v.violations.putAll(CompactTypeInfo.Serializer.readCounts(in));
        v.invalidByCategory.putAll(CompactTypeInfo.Serializer.readCounts(in));
        return v;
    }

    /**
     * Restores {@link Serializer} from a savepoint; public with no arguments, as Flink needs. Its
     * version says the format: 3, the version of the {@code SimpleTypeSerializerSnapshot} that
     * format 1 was written with (no payload), or 4 for format 2. A format 1 checkpoint is read with
     * {@link Format1Serializer} and migrated (its tallies have no folded values).
     */
    public static final class Snapshot implements TypeSerializerSnapshot<DataQualityCounts> {
        static final int FORMAT_1_VERSION = 3;
        static final int FORMAT_2_VERSION = 4;

        private int version;

        public Snapshot() {
            this(FORMAT_2_VERSION);
        }

        Snapshot(int version) {
            this.version = version;
        }

        @Override
        public int getCurrentVersion() {
            return version;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // The version says everything.
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != FORMAT_1_VERSION && readVersion != FORMAT_2_VERSION) {
                throw new IOException(
                        "Unknown DataQualityCounts serializer snapshot version " + readVersion);
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<DataQualityCounts> restoreSerializer() {
            return version == FORMAT_1_VERSION ? Format1Serializer.INSTANCE : Serializer.INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<DataQualityCounts> resolveSchemaCompatibility(
                TypeSerializerSnapshot<DataQualityCounts> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return ((Snapshot) oldSnapshot).version == FORMAT_1_VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
    }
}
