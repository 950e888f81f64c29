package io.recsys.monitor.model;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's serializer contract (copies, sequences, snapshots, duplicates, Java serialization) for
 * the data quality counts under {@link AccumulatorTypeInfo}: empty counts, and counts with every
 * map filled and feature names beyond the cap.
 */
class DataQualityCountsSerializerTest extends SerializerTestBase<DataQualityCounts> {

    DataQualityCountsSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) ->
                                        a instanceof DataQualityCounts
                                                && b instanceof DataQualityCounts,
                                (a, b, checker) ->
                                        sameCounts((DataQualityCounts) a, (DataQualityCounts) b)));
    }

    private static boolean sameCounts(DataQualityCounts a, DataQualityCounts b) {
        return a.maxFeatures == b.maxFeatures
                && a.predictions == b.predictions
                && a.okPredictions == b.okPredictions
                && a.errorPredictions == b.errorPredictions
                && a.feedback == b.feedback
                && a.deadLetters == b.deadLetters
                && a.featuresOverCap == b.featuresOverCap
                && a.featurePresent.equals(b.featurePresent)
                && a.fieldMissing.equals(b.fieldMissing)
                && a.violations.equals(b.violations)
                && a.invalidByCategory.equals(b.invalidByCategory)
                && a.folded.equals(b.folded);
    }

    @Override
    protected TypeSerializer<DataQualityCounts> createSerializer() {
        return AccumulatorTypeInfo.of(new DataQualityCounts.Codec(2)).serializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<DataQualityCounts> getTypeClass() {
        return DataQualityCounts.class;
    }

    @Override
    protected DataQualityCounts[] getTestData() {
        DataQualityCounts empty = new DataQualityCounts(2);
        DataQualityCounts full = new DataQualityCounts(2);
        full.predictions = 12;
        full.okPredictions = 11;
        full.errorPredictions = 1;
        full.feedback = 30;
        full.deadLetters = 3;
        for (String feature : new String[] {"age", "device", "country", "age"}) {
            full.featureSeen(feature, 1, full.maxFeatures);
        }
        DataQualityCounts.increment(full.fieldMissing, "user_segment", 4);
        DataQualityCounts.increment(full.violations, "price_present", 2);
        DataQualityCounts.increment(full.invalidByCategory, "invalid_json", 3);
        DataQualityCounts.increment(full.folded, MetricNames.FEATURE, 1);
        return new DataQualityCounts[] {empty, full};
    }
}
