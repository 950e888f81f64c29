package io.recsys.monitor.model;

import java.io.IOException;
import java.lang.reflect.Type;
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

    /** Format 1: the five counters, the feature counts, the overflow, then the three maps. */
    public static final class Serializer extends CompactTypeInfo.Serializer<DataQualityCounts> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public DataQualityCounts createInstance() {
            return new DataQualityCounts();
        }

        @Override
        protected void write(DataQualityCounts v, DataOutputView out) throws IOException {
            out.writeLong(v.predictions);
            out.writeLong(v.okPredictions);
            out.writeLong(v.errorPredictions);
            out.writeLong(v.feedback);
            out.writeLong(v.deadLetters);
            writeCounts(v.featurePresent, out);
            out.writeLong(v.featuresOverCap);
            writeCounts(v.fieldMissing, out);
            writeCounts(v.violations, out);
            writeCounts(v.invalidByCategory, out);
        }

        @Override
        protected DataQualityCounts read(DataInputView in) throws IOException {
            DataQualityCounts v = new DataQualityCounts();
            v.predictions = in.readLong();
            v.okPredictions = in.readLong();
            v.errorPredictions = in.readLong();
            v.feedback = in.readLong();
            v.deadLetters = in.readLong();
            v.featurePresent.putAll(readCounts(in));
            v.featuresOverCap = in.readLong();
            v.fieldMissing.putAll(readCounts(in));
            v.violations.putAll(readCounts(in));
            v.invalidByCategory.putAll(readCounts(in));
            return v;
        }

        @Override
        public TypeSerializerSnapshot<DataQualityCounts> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores {@link Serializer} from a savepoint; public with no arguments, as Flink needs. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DataQualityCounts> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
