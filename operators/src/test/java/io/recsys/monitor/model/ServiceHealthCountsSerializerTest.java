package io.recsys.monitor.model;

import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Flink's serializer contract (copies, sequences, snapshots, duplicates, Java serialization) for
 * the service-health counts under {@link AccumulatorTypeInfo}: empty counts, counts with their
 * error types folded under the cap, and a sketch past its first compaction.
 */
class ServiceHealthCountsSerializerTest extends SerializerTestBase<ServiceHealthCounts> {

    ServiceHealthCountsSerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) ->
                                        a instanceof ServiceHealthCounts
                                                && b instanceof ServiceHealthCounts,
                                (a, b, checker) ->
                                        sameCounts(
                                                (ServiceHealthCounts) a, (ServiceHealthCounts) b)));
    }

    private static boolean sameCounts(ServiceHealthCounts a, ServiceHealthCounts b) {
        return a.maxErrorTypes == b.maxErrorTypes
                && a.requests == b.requests
                && a.errors == b.errors
                && a.errorsByType.equals(b.errorsByType)
                && Arrays.equals(a.latency.toByteArray(), b.latency.toByteArray());
    }

    @Override
    protected TypeSerializer<ServiceHealthCounts> createSerializer() {
        return AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(3)).serializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ServiceHealthCounts> getTypeClass() {
        return ServiceHealthCounts.class;
    }

    @Override
    protected ServiceHealthCounts[] getTestData() {
        ServiceHealthCounts empty = new ServiceHealthCounts(3);
        ServiceHealthCounts folded = new ServiceHealthCounts(3);
        for (String type : new String[] {"A", "B", "C", null}) {
            folded.add(response(12.5, type));
        }
        ServiceHealthCounts busy = new ServiceHealthCounts(3);
        for (int i = 0; i < 1_000; i++) {
            busy.add(response(i % 250, i % 97 == 0 ? "Timeout" : null));
        }
        return new ServiceHealthCounts[] {empty, folded, busy};
    }

    private static PredictionEvent response(double latencyMs, String errorType) {
        PredictionEvent p = new PredictionEvent();
        p.latencyMs = latencyMs;
        p.error = errorType != null || latencyMs == 12.5;
        p.errorType = errorType;
        return p;
    }
}
