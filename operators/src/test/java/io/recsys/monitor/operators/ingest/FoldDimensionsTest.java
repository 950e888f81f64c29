package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.ingest.FoldDimensions.KeptDimensionValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class FoldDimensionsTest {
    private static final int MAX_PARALLELISM = 128;
    private static final int MAX_FEATURE_NAMES = 3;

    @Test
    void foldsValuesBeyondTheCapAndSaysWhichDimensionWasFolded() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(2, 1)) {
            h.open();
            process(h, prediction("r1", 10, "v1", "new"));
            process(h, prediction("r2", 20, "v2", "new"));
            process(h, prediction("r3", 30, "v3", "returning"));
            process(h, prediction("r4", 40, "v1", "returning"));

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.prediction.modelVersion + "/" + r.prediction.userSegment)
                    .containsExactly("v1/new", "v2/new", "other/other", "v1/other");
            assertThat(h.getSideOutput(FoldDimensions.FOLDED))
                    .extracting(r -> r.getValue() + "@" + r.getTimestamp())
                    .containsExactly("ModelVersion@30", "UserSegment@30", "UserSegment@40");
        }
    }

    @Test
    void aFoldedPredictionIsACopyThatDiffersOnlyInItsDimensions() throws Exception {
        PredictionEvent original = prediction("r2", 20, "v2", "new");
        original.latencyMs = 42;
        original.error = true;
        original.errorType = "timeout";
        original.numericFeatures.put("age", 31.0);
        original.categoricalFeatures.put("device", "ios");
        original.nullFeatures.add("zip");
        RecommendedItem item = new RecommendedItem();
        item.itemId = "i1";
        original.recommendations.add(item);
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(1, 5)) {
            h.open();
            process(h, prediction("r1", 10, "v1", "new"));
            process(h, original);

            PredictionEvent folded = h.extractOutputValues().get(1).prediction;
            assertThat(folded).isNotSameAs(original);
            assertThat(folded.modelVersion).isEqualTo(DimensionCap.OTHER);
            assertThat(original.modelVersion).isEqualTo("v2");
            folded.modelVersion = "v2";
            assertThat(folded).isEqualTo(original);
        }
    }

    @Test
    void feedbackAndDeadLettersPassUnchanged() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(1, 1)) {
            h.open();
            InputRecord feedback =
                    InputRecord.of(new FeedbackEvent("r1", 5, "u1", "i1", FeedbackAction.CLICK));
            InputRecord deadLetter =
                    InputRecord.of(
                            new DeadLetter(
                                    DeadLetter.Reason.INVALID_JSON, "not JSON", "{", "test", 0));
            h.processElement(feedback, 5);
            h.processElement(deadLetter, 6);
            List<InputRecord> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).feedback).isEqualTo(feedback.feedback);
            assertThat(out.get(1).deadLetter.raw).isEqualTo("{");
            assertThat(out.get(1).deadLetter.reason).isEqualTo("not JSON");
            assertThat(h.getSideOutput(FoldDimensions.FOLDED)).isNull();
        }
    }

    @Test
    void theKeptValuesAreStateBoundedByTheCapAndSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(50, 50)) {
            h.open();
            for (int i = 0; i < 10_000; i++) {
                process(h, prediction("r" + i, i, "v" + i, "s" + (i % 3)));
            }
            snapshot = h.snapshot(1, 10_000);
            List<KeptDimensionValue> state = keptState(h);
            // 50 model versions and the 3 segments, with the time each was first kept (nothing
            // reads it without idle release): what was folded is not stored.
            assertThat(state).hasSize(53);
            assertThat(kept(state, MetricNames.MODEL_VERSION)).hasSize(50).containsKey("v49");
            assertThat(kept(state, MetricNames.USER_SEGMENT))
                    .isEqualTo(Map.of("s0", 0L, "s1", 1L, "s2", 2L));
        }
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(50, 50)) {
            h.initializeState(snapshot);
            h.open();
            process(h, prediction("a", 20_000, "v7", "s1"));
            process(h, prediction("b", 20_001, "v50", "s1"));
            assertThat(h.extractOutputValues())
                    .extracting(r -> r.prediction.modelVersion)
                    .containsExactly("v7", DimensionCap.OTHER);
        }
    }

    @Test
    void aRescaleSpreadsTheKeptValuesOverTheNewSubtasks() throws Exception {
        OperatorSubtaskState first;
        OperatorSubtaskState second;
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(2, 2, 2, 0)) {
            h.open();
            process(h, prediction("r1", 10, "a", "s"));
            process(h, prediction("r2", 20, "b", "s"));
            first = h.snapshot(1, 100);
        }
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(2, 2, 2, 1)) {
            h.open();
            process(h, prediction("r3", 30, "b", "s"));
            process(h, prediction("r4", 40, "c", "s"));
            second = h.snapshot(1, 100);
        }
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(first, second);
        for (int newParallelism : new int[] {1, 3}) {
            Map<String, Long> kept = new java.util.HashMap<>();
            for (int subtask = 0; subtask < newParallelism; subtask++) {
                try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h =
                        harness(2, 2, newParallelism, subtask)) {
                    h.initializeState(
                            AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                    both, MAX_PARALLELISM, 2, newParallelism, subtask));
                    h.open();
                    h.snapshot(2, 200);
                    kept(keptState(h), MetricNames.MODEL_VERSION)
                            .forEach((v, t) -> kept.merge(v, t, Math::max));
                    if (newParallelism == 1) {
                        for (String v : List.of("a", "b", "c", "d")) {
                            process(h, prediction("x", 50, v, "s"));
                        }
                        // Every value kept before keeps its series; nothing new beyond the cap.
                        assertThat(h.extractOutputValues())
                                .extracting(r -> r.prediction.modelVersion)
                                .containsExactly("a", "b", "c", DimensionCap.OTHER);
                    }
                }
            }
            // No kept value is lost by the rescale; b, kept by both, at the later time.
            assertThat(kept).isEqualTo(Map.of("a", 10L, "b", 30L, "c", 40L));
        }
    }

    @Test
    void aFeatureNameBeyondTheCapIsDroppedFromItsEventAndCountedOnce() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness(50, 50)) {
            h.open();
            PredictionEvent first = prediction("r1", 10, "v1", "s");
            first.numericFeatures.put("a", 1.0);
            first.numericFeatures.put("b", 2.0);
            first.categoricalFeatures.put("c", "x");
            PredictionEvent second = prediction("r2", 20, "v1", "s");
            second.numericFeatures.put("a", 3.0);
            second.numericFeatures.put("d", 4.0);
            second.categoricalFeatures.put("c", "y");
            second.nullFeatures.add("e");
            process(h, first);
            process(h, second);

            List<InputRecord> out = h.extractOutputValues();
            assertThat(out.get(0).prediction).isEqualTo(first);
            PredictionEvent kept = out.get(1).prediction;
            assertThat(kept.numericFeatures).isEqualTo(Map.of("a", 3.0));
            assertThat(kept.categoricalFeatures).isEqualTo(Map.of("c", "y"));
            assertThat(kept.nullFeatures).isEmpty();
            assertThat(kept.modelVersion).isEqualTo("v1");
            // The event as it came is untouched.
            assertThat(second.numericFeatures).containsOnlyKeys("a", "d");
            // Two names dropped from one prediction: counted once, as one prediction.
            assertThat(h.getSideOutput(FoldDimensions.FOLDED))
                    .extracting(r -> r.getValue() + "@" + r.getTimestamp())
                    .containsExactly("Feature@20");
            h.snapshot(1, 30);
            assertThat(kept(keptState(h), MetricNames.FEATURE)).containsOnlyKeys("a", "b", "c");
        }
    }

    @Test
    void theStateEntryIsAPojo() {
        PojoTestUtils.assertSerializedAsPojo(KeptDimensionValue.class);
    }

    private static OneInputStreamOperatorTestHarness<InputRecord, InputRecord> harness(
            int maxModelVersions, int maxSegments) throws Exception {
        return harness(maxModelVersions, maxSegments, 1, 0);
    }

    private static OneInputStreamOperatorTestHarness<InputRecord, InputRecord> harness(
            int maxModelVersions, int maxSegments, int parallelism, int subtask) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(
                        new FoldDimensions(maxModelVersions, maxSegments, MAX_FEATURE_NAMES, 0)),
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    private static void process(
            OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h, PredictionEvent p)
            throws Exception {
        h.processElement(new StreamRecord<>(InputRecord.of(p), p.eventTime));
    }

    /** The operator's list state, as the last snapshot wrote it. */
    private static List<KeptDimensionValue> keptState(
            OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h) throws Exception {
        List<KeptDimensionValue> out = new ArrayList<>();
        h.getOperator()
                .getOperatorStateBackend()
                .getListState(
                        new ListStateDescriptor<>(
                                FoldDimensions.STATE_NAME,
                                TypeInformation.of(KeptDimensionValue.class)))
                .get()
                .forEach(out::add);
        return out;
    }

    private static Map<String, Long> kept(List<KeptDimensionValue> state, String dimension) {
        return state.stream()
                .filter(k -> dimension.equals(k.dimension))
                .collect(Collectors.toMap(k -> k.value, k -> k.lastSeen, Long::sum, TreeMap::new));
    }

    static PredictionEvent prediction(String id, long time, String model, String segment) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = id;
        p.eventTime = time;
        p.userId = "u-" + id;
        p.modelVersion = model;
        p.userSegment = segment;
        return p;
    }
}
