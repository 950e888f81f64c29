package io.recsys.monitor.model;

import io.recsys.monitor.model.EngagementSignal.Kind;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's serializer contract (copies, sequences, snapshots, duplicates, Java serialization) for
 * the engagement funnel counts under {@link AccumulatorTypeInfo}: empty counts, a small funnel, and
 * counts with every field set, the per-rank counters and the ranking sums included.
 */
class EngagementCountsSerializerTest extends SerializerTestBase<EngagementCounts> {

    EngagementCountsSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) ->
                                        a instanceof EngagementCounts
                                                && b instanceof EngagementCounts,
                                (a, b, checker) ->
                                        Arrays.equals(
                                                bytes((EngagementCounts) a),
                                                bytes((EngagementCounts) b))));
    }

    /** The codec's bytes: every field, in a fixed order. */
    private static byte[] bytes(EngagementCounts counts) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(512);
            new EngagementCounts.Codec().write(counts, out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected TypeSerializer<EngagementCounts> createSerializer() {
        return AccumulatorTypeInfo.of(new EngagementCounts.Codec()).serializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EngagementCounts> getTypeClass() {
        return EngagementCounts.class;
    }

    @Override
    protected EngagementCounts[] getTestData() {
        EngagementCounts empty = new EngagementCounts();
        EngagementCounts funnel = new EngagementCounts();
        funnel.add(new EngagementSignal(0, "v1", "new", Kind.SERVED, 12, 0, 0));
        funnel.add(new EngagementSignal(0, "v1", "new", Kind.IMPRESSION, 0, 0, 1));
        funnel.add(new EngagementSignal(0, "v1", "new", Kind.CLICK, 0, 0, 1));
        funnel.add(new EngagementSignal(0, "v1", "new", Kind.PURCHASE, 0, 19.99, 1));
        EngagementCounts full = funnel.copy();
        full.add(new EngagementSignal(0, "v1", "new", Kind.ADD_TO_CART, 0, 0, 0));
        full.add(new EngagementSignal(0, null, null, Kind.UNATTRIBUTED, 0, 0, 0));
        full.add(new EngagementSignal(0, "v1", "new", Kind.CLICK, 0, 0, 10));
        full.rankedResponses = 2;
        full.precisionAt10Sum = 0.3;
        full.recallAt10Sum = 0.75;
        full.ndcgAt10Sum = 1.25;
        full.reciprocalRankSum = 1.5;
        return new EngagementCounts[] {empty, funnel, full};
    }
}
