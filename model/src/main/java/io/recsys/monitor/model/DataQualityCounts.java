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
 * io.recsys.monitor.operators.dataquality.DataQualityMetrics} for what each entry means. State and
 * records use {@link Codec}; {@link Snapshot} only restores savepoints of earlier releases.
 */
@TypeInfo(DataQualityCounts.Factory.class)
public final class DataQualityCounts
        implements SliceAccumulator<DataQualityCounts, DataQualityCounts> {
    /** The default of {@code events.max-features}. */
    public static final int DEFAULT_MAX_FEATURES = 200;

    /**
     * How many feature names are counted apart; further names count in {@link #featuresOverCap}.
     */
    public final int maxFeatures;

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

    /** Empty counts under the default cap of feature names. */
    public DataQualityCounts() {
        this(DEFAULT_MAX_FEATURES);
    }

    /** Empty counts that keep at most {@code maxFeatures} feature names apart. */
    public DataQualityCounts(int maxFeatures) {
        this.maxFeatures = maxFeatures;
    }

    /**
     * Adds the counts of a stream counted where it is parsed: the events of data quality are of
     * several kinds, each counted by its own function ({@code QualityAggregates}) before the
     * shuffle, so what the sliced-metric stages add are these counts.
     */
    @Override
    public void add(DataQualityCounts counted) {
        merge(counted);
    }

    /** Adds {@code other} into this, under this one's cap. */
    @Override
    public DataQualityCounts merge(DataQualityCounts other) {
        return merge(other, maxFeatures);
    }

    @Override
    public DataQualityCounts copy() {
        return new DataQualityCounts(maxFeatures).merge(this, maxFeatures);
    }

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

    /** Hands Flink's type extractor the codec's type information (default cap). */
    public static final class Factory extends TypeInfoFactory<DataQualityCounts> {
        @Override
        public TypeInformation<DataQualityCounts> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return AccumulatorTypeInfo.of(new Codec(DEFAULT_MAX_FEATURES));
        }
    }

    /**
     * Version 2: the five counters, the feature counts, the overflow, the three maps, then the
     * folded values per dimension. Version 1, of checkpoints taken before dimensions were capped,
     * lacks the last map. The cap is the codec's, not written.
     */
    public static final class Codec extends AbstractAccumulatorCodec<DataQualityCounts> {
        private static final long serialVersionUID = 1L;

        private final int maxFeatures;

        public Codec(int maxFeatures) {
            this.maxFeatures = maxFeatures;
        }

        @Override
        public int version() {
            return 2;
        }

        @Override
        public DataQualityCounts create() {
            return new DataQualityCounts(maxFeatures);
        }

        @Override
        public void write(DataQualityCounts v, DataOutputView out) throws IOException {
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
            CompactTypeInfo.Serializer.writeCounts(v.folded, out);
        }

        @Override
        protected DataQualityCounts readVersion(int version, DataInputView in) throws IOException {
            DataQualityCounts v = create();
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
            if (version == 2) {
                v.folded.putAll(CompactTypeInfo.Serializer.readCounts(in));
            }
            return v;
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Codec && ((Codec) obj).maxFeatures == maxFeatures;
        }

        @Override
        public int hashCode() {
            return maxFeatures;
        }
    }

    /**
     * The snapshot class that savepoints of earlier releases name for these counts: version 3 (no
     * payload) for the codec's version 1, 4 for its version 2. It restores the codec of that
     * version, so that their state resolves against {@link AccumulatorTypeInfo} as it is (version 1
     * migrated). Restored counts keep the default cap until they merge into counts of the
     * configured one.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<DataQualityCounts> {
        private int version = 4;

        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return version;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // Never written any more: AccumulatorTypeInfo's snapshot replaced it.
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != 3 && readVersion != 4) {
                throw new IOException(
                        "Unknown DataQualityCounts serializer snapshot version " + readVersion);
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<DataQualityCounts> restoreSerializer() {
            return new AccumulatorTypeInfo.Serializer<>(
                    new Codec(DEFAULT_MAX_FEATURES), version - 2);
        }

        @Override
        public TypeSerializerSchemaCompatibility<DataQualityCounts> resolveSchemaCompatibility(
                TypeSerializerSnapshot<DataQualityCounts> oldSnapshot) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
