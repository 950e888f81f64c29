package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's serializer contract (copies, sequences, snapshots, duplicates, Java serialization) for
 * the recommendation sketch under {@link AccumulatorTypeInfo}: an empty sketch, a small one, and
 * one whose frequent-items map has purged (more distinct items than it keeps).
 */
class RecommendationSketchSerializerTest extends SerializerTestBase<RecommendationSketch> {

    RecommendationSketchSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) ->
                                        a instanceof RecommendationSketch
                                                && b instanceof RecommendationSketch,
                                (a, b, checker) ->
                                        sameContent(
                                                (RecommendationSketch) a,
                                                (RecommendationSketch) b)));
    }

    /**
     * Equal counters, HLL estimate and frequent items with their bounds. Not equal bytes: a
     * frequent-items map read back holds its items in another order of its slots.
     */
    static boolean sameContent(RecommendationSketch a, RecommendationSketch b) {
        return a.responses() == b.responses()
                && a.exposures() == b.exposures()
                && a.distinctItems() == b.distinctItems()
                && a.meanDiversity().equals(b.meanDiversity())
                && Double.compare(a.diversityStdDev(), b.diversityStdDev()) == 0
                && a.meanReferenceNovelty().equals(b.meanReferenceNovelty())
                && a.exposureSketch().getMaximumError() == b.exposureSketch().getMaximumError()
                && frequentItems(a).equals(frequentItems(b));
    }

    private static Map<String, List<Long>> frequentItems(RecommendationSketch s) {
        Map<String, List<Long>> rows = new TreeMap<>();
        for (ItemsSketch.Row<String> row :
                s.exposureSketch().getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
            rows.put(
                    row.getItem(),
                    List.of(row.getEstimate(), row.getLowerBound(), row.getUpperBound()));
        }
        return rows;
    }

    @Override
    protected TypeSerializer<RecommendationSketch> createSerializer() {
        return AccumulatorTypeInfo.of(new RecommendationSketch.Codec()).serializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<RecommendationSketch> getTypeClass() {
        return RecommendationSketch.class;
    }

    @Override
    protected RecommendationSketch[] getTestData() {
        RecommendationSketch small = new RecommendationSketch();
        small.add(response(1, 2, 3));
        small.add(response(1, 4));
        RecommendationSketch purged = new RecommendationSketch();
        for (int i = 0; i < 2_000; i++) {
            purged.add(response(i, i % 37, i % 5));
        }
        return new RecommendationSketch[] {new RecommendationSketch(), small, purged};
    }

    /** A response of items "item-i", each of category "c" + i % 3. */
    private static PredictionEvent response(int... items) {
        PredictionEvent p = new PredictionEvent();
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c" + item % 3, 1));
        }
        return p;
    }
}
