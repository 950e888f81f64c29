package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exposure reference that Novelty is scored against stays out of the recommendation state: the
 * serializer snapshot that every checkpoint records for the sketches does not grow with it, and a
 * run started with another reference scores its responses against its own, on either backend.
 */
class ExposureReferenceStateTest {
    private static final long HOUR = 3_600_000L;

    private static SlicedMetric<PredictionEvent, RecommendationSketch> describe(
            ExposureReference reference) {
        RecommendationBaseline baseline = RecommendationBaseline.of(0);
        return RecommendationQualityMetric.describe(
                MonitorConfig.defaults(),
                reference == null ? baseline : baseline.withExposure(reference));
    }

    /** A response of model v1 to a new user with items "item-i". */
    private static PredictionEvent response(int... items) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.modelVersion = "v1";
        p.userSegment = "new";
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c", 1));
        }
        return p;
    }

    @Test
    void theSketchSerializerSnapshotStaysSmallWithALargeReference() throws Exception {
        Map<String, Long> exposures = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            exposures.put("item-" + i, 1L + i % 97);
        }
        ProfileExposure large = new ProfileExposure(exposures);
        assertThat(InstantiationUtil.serializeObject(large).length).isGreaterThan(1_000_000);

        var metric = describe(large);
        DataOutputSerializer snapshot = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                snapshot, metric.accumulatorType().serializer().snapshotConfiguration());
        assertThat(snapshot.length()).isLessThan(500);
        // The state's type is the same whatever the reference, so a restore never compares them.
        assertThat(metric.accumulatorType())
                .isEqualTo(describe(new ProfileExposure(Map.of("a", 1L))).accumulatorType())
                .isEqualTo(describe(null).accumulatorType());
    }

    /**
     * The first run's reference: item-1 once and item-2 three times (total 4.5 with the unseen
     * items' half), novelties log2(4.5) and log2(1.5). The second's: item-1 once (total 1.5),
     * novelties log2(1.5) and, item-2 unseen, log2(3).
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aRunRestoredWithAnotherReferenceScoresItsResponsesAgainstIt(String backend)
            throws Exception {
        OperatorSubtaskState snapshot;
        try (var h =
                SlicedStageHarnesses.preAggregation(
                        describe(new ProfileExposure(Map.of("item-1", 1L, "item-2", 3L))),
                        backend)) {
            h.open();
            h.processElement(new StreamRecord<>(response(1, 2), 1_000L));
            snapshot = h.snapshot(1L, 2_000L);
        }
        try (var h =
                SlicedStageHarnesses.preAggregation(
                        describe(new ProfileExposure(Map.of("item-1", 1L))), backend)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(response(1, 2), 3_000L));
            h.processWatermark(new Watermark(HOUR - 1));
            List<SlicePartial<RecommendationSketch>> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            RecommendationSketch sketch = out.get(0).aggregate;
            assertThat(sketch.responses()).isEqualTo(2);
            double firstRun = Math.log(4.5) + Math.log(1.5);
            double secondRun = Math.log(1.5) + Math.log(3);
            assertThat(sketch.meanReferenceNovelty().getAsDouble())
                    .isCloseTo((firstRun + secondRun) / Math.log(2) / 4, within(1e-12));
        }
    }
}
