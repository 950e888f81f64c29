package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RollingDriftFunction}'s panes written behind (heap deltas merged into keyed state by the
 * timers): the same windows as when every event went to keyed state, deltas that survive restores
 * at any parallelism exactly once, and the pane limit and timer rule unchanged. On the heap backend
 * and on RocksDB, where keyed state is read and written in serialized form.
 */
class RollingDriftWriteBehindTest {
    static final long MINUTE = 60_000L;
    static final long SECOND = 1_000L;
    static final long SLIDE = 5 * MINUTE;
    static final long WINDOW = 60 * MINUTE;
    static final int MAX_PARALLELISM = 128;

    enum Backend {
        HEAP,
        ROCKSDB
    }

    /** The drift operator in Flink's keyed broadcast harness, with its panes at hand. */
    static final class DriftHarness
            extends KeyedBroadcastOperatorTestHarness<
                    String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart> {
        private final CoBroadcastWithKeyedOperator<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                operator;

        private DriftHarness(
                CoBroadcastWithKeyedOperator<
                                String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                        operator,
                int parallelism,
                int subtask)
                throws Exception {
            super(
                    operator,
                    (DriftUnitPartial p) -> p.modelVersion,
                    Types.STRING,
                    MAX_PARALLELISM,
                    parallelism,
                    subtask);
            this.operator = operator;
        }

        /** A harness set up, restored from {@code snapshot} (null: empty) and opened. */
        static DriftHarness open(
                Backend backend, int parallelism, int subtask, OperatorSubtaskState snapshot)
                throws Exception {
            DriftHarness h =
                    new DriftHarness(
                            new CoBroadcastWithKeyedOperator<>(
                                    new RollingDriftFunction(
                                            WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS"),
                                    Collections.singletonList(RollingDriftFunction.REFERENCES)),
                            parallelism,
                            subtask);
            h.getExecutionConfig().disableGenericTypes();
            if (backend == Backend.ROCKSDB) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            h.setup();
            if (snapshot == null) {
                h.initializeEmptyState();
            } else {
                h.initializeState(snapshot);
            }
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            return h;
        }

        void add(String model, long time) throws Exception {
            add(model, time, 1);
        }

        void add(String model, long time, int copies) throws Exception {
            Random random = new Random(time);
            for (int i = 0; i < copies; i++) {
                processElement(
                        DriftTestEvents.single(DriftTestEvents.event(random, model, time, 0)),
                        time);
            }
        }

        /** Events per pane start of a model version in keyed state, leaving the deltas pending. */
        Map<Long, Long> keyedPanes(String model) throws Exception {
            operator.setCurrentKey(model);
            MapState<Long, PaneSketch> state =
                    operator.getKeyedStateBackend()
                            .getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    RollingDriftFunction.PANES);
            Map<Long, Long> events = new TreeMap<>();
            for (Map.Entry<Long, PaneSketch> e : state.entries()) {
                events.put(e.getKey(), e.getValue().events());
            }
            return events;
        }

        /**
         * Events per pane start of a model version once its deltas are written, as a timer does.
         */
        Map<Long, Long> panes(String model) throws Exception {
            operator.setCurrentKey(model);
            ((RollingDriftFunction) operator.getUserFunction()).writePending(model);
            return keyedPanes(model);
        }

        /**
         * Events per window, as {@code model@end minute}, from the reports so far (one per window
         * without a reference).
         */
        Map<String, Long> windows() {
            Map<String, Long> windows = new TreeMap<>();
            for (DriftReport r : DriftTestEvents.reports(extractOutputValues())) {
                windows.put(r.modelVersion + "@" + r.windowEnd / MINUTE, r.nCurrent);
            }
            return windows;
        }
    }

    /** Model versions that the key groups of a parallelism of two give to subtask 0 and 1. */
    private static String modelOfSubtask(int subtask) {
        for (int i = 0; ; i++) {
            String model = "v" + i;
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(model, MAX_PARALLELISM, 2)
                    == subtask) {
                return model;
            }
        }
    }

    private static Map<String, Long> windows(Object... modelEndEvents) {
        Map<String, Long> windows = new TreeMap<>();
        for (int i = 0; i < modelEndEvents.length; i += 2) {
            windows.put((String) modelEndEvents[i], ((Number) modelEndEvents[i + 1]).longValue());
        }
        return windows;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void reportsAndMetricsAreThoseOfTheWindowsEventsAddedOneByOne(Backend backend)
            throws Exception {
        DriftHarness h = DriftHarness.open(backend, 1, 0, null);
        String json = ReferenceProfileJson.write(DriftTestEvents.reference("ref-a", 20_000, 3));
        h.processBroadcastElement(new ReferenceUpdate("ref-a.json", json), 0);
        Random random = new Random(7);
        List<PredictionEvent> events = new ArrayList<>();
        long newest = 0;
        for (int i = 0; i < 2 * 3600; i++) {
            for (String model : new String[] {"v1", "v2"}) {
                // Up to 40 s out of order against a watermark 30 s behind the newest event: some
                // events come to panes whose first window has fired.
                long t = Math.max(0, i * SECOND - random.nextInt(40_000));
                PredictionEvent e =
                        DriftTestEvents.event(random, model, t, model.equals("v1") ? 0 : 8);
                events.add(e);
                h.processElement(DriftTestEvents.single(e), t);
                newest = Math.max(newest, t);
            }
            if (i % 20 == 0) {
                h.processWatermark(newest - 30 * SECOND);
            }
        }
        h.processWatermark(4 * WINDOW);

        // Every window evaluated on a sketch of its events added one by one, as before panes were
        // written behind (when they were also merged pane by pane: the sketches differ within the
        // KLL error, while counts are exact).
        ReferenceProfile reference = ReferenceProfileJson.read(json);
        WindowDriftEvaluator evaluator = new WindowDriftEvaluator(DriftRules.defaults(), "NS");
        List<DriftReport> expectedReports = new ArrayList<>();
        List<MetricPoint> expectedMetrics = new ArrayList<>();
        for (String model : new String[] {"v1", "v2"}) {
            ModelProfile profile = reference.profileFor(model);
            for (long end = SLIDE; end <= 4 * WINDOW; end += SLIDE) {
                PaneSketch window = new PaneSketch(1000);
                for (PredictionEvent e : events) {
                    if (e.modelVersion.equals(model)
                            && e.eventTime >= end - WINDOW
                            && e.eventTime < end) {
                        window.add(e, profile);
                    }
                }
                if (window.events() > 0) {
                    WindowDriftEvaluator.Outcome outcome =
                            evaluator.evaluate(
                                    model,
                                    end - WINDOW,
                                    end,
                                    window,
                                    profile,
                                    reference.referenceVersion);
                    expectedReports.addAll(outcome.reports);
                    expectedMetrics.addAll(outcome.metrics);
                }
            }
        }

        Map<String, DriftReport> actual =
                byKey(
                        DriftTestEvents.reports(h.extractOutputValues()),
                        RollingDriftWriteBehindTest::reportKey);
        Map<String, DriftReport> expected =
                byKey(expectedReports, RollingDriftWriteBehindTest::reportKey);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        // Two models, 2 h of events and 55 min of windows after: 35 windows of 4 reports each.
        assertThat(actual).hasSize(2 * 35 * 4);
        for (Map.Entry<String, DriftReport> e : expected.entrySet()) {
            DriftReport want = e.getValue();
            DriftReport got = actual.get(e.getKey());
            assertThat(got.nCurrent).as(e.getKey()).isEqualTo(want.nCurrent);
            assertThat(got.nReference).as(e.getKey()).isEqualTo(want.nReference);
            assertThat(got.windowStart).as(e.getKey()).isEqualTo(want.windowStart);
            assertThat(got.referenceVersion).as(e.getKey()).isEqualTo("ref-a");
            assertThat(got.drifted).as(e.getKey()).isEqualTo(want.drifted);
            if (want.test.equals(DriftReport.KS) || want.test.equals(DriftReport.PREDICTION_KS)) {
                // Both sketches are within the error bound of the exact distribution.
                assertThat(got.statistic)
                        .as(e.getKey())
                        .isCloseTo(want.statistic, within(2 * got.errorBound));
            } else if (want.test.equals(DriftReport.CHI_SQUARE)) {
                assertThat(got.statistic)
                        .as(e.getKey())
                        .isCloseTo(want.statistic, withinPercentage(1e-9));
                assertThat(got.effectSize)
                        .as(e.getKey())
                        .isCloseTo(want.effectSize, withinPercentage(1e-9));
            } else {
                assertThat(got.statistic).as(e.getKey()).isEqualTo(want.statistic);
            }
            if (want.test.equals(DriftReport.PREDICTION_KS)) {
                // Moments merged pane by pane rather than added one by one: rounding apart.
                assertThat(got.effectSize).isCloseTo(want.effectSize, within(1e-9));
                assertThat(got.varianceChange).isCloseTo(want.varianceChange, within(1e-9));
            }
        }
        // v1 is like the reference, v2's age and devices have moved.
        assertThat(actual.values())
                .filteredOn(r -> r.modelVersion.equals("v2") && r.feature.equals("age"))
                .allMatch(r -> r.drifted);
        assertThat(actual.values())
                .filteredOn(r -> r.modelVersion.equals("v1"))
                .noneMatch(r -> r.drifted);

        List<MetricPoint> metricPoints =
                DriftTestEvents.metrics(h.extractOutputValues()).stream()
                        .collect(Collectors.toList());
        Map<String, MetricPoint> actualMetrics =
                byKey(metricPoints, RollingDriftWriteBehindTest::metricKey);
        Map<String, MetricPoint> expectedMetricsByKey =
                byKey(expectedMetrics, RollingDriftWriteBehindTest::metricKey);
        assertThat(actualMetrics.keySet()).isEqualTo(expectedMetricsByKey.keySet());
        Set<String> fromSketches =
                new HashSet<>(
                        Arrays.asList(
                                "FeatureDrift_age",
                                MetricNames.FEATURE_DRIFT,
                                MetricNames.PREDICTION_DRIFT));
        for (Map.Entry<String, MetricPoint> e : expectedMetricsByKey.entrySet()) {
            MetricPoint got = actualMetrics.get(e.getKey());
            double tolerance = fromSketches.contains(got.metric) ? 0.02 : 1e-9;
            assertThat(got.value).as(e.getKey()).isCloseTo(e.getValue().value, within(tolerance));
            assertThat(got.timestamp).isEqualTo(e.getValue().timestamp);
            assertThat(got.unit).isEqualTo(e.getValue().unit);
        }
        h.close();
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> map = new TreeMap<>();
        for (T item : items) {
            assertThat(map.put(key.apply(item), item)).as("duplicate " + key.apply(item)).isNull();
        }
        return map;
    }

    private static String reportKey(DriftReport r) {
        return r.modelVersion + "@" + r.windowEnd / MINUTE + "/" + r.feature + "/" + r.test;
    }

    private static String metricKey(MetricPoint p) {
        return p.windowEnd / MINUTE + "/" + p.metric + "/" + p.dimensions;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pendingDeltasSurviveRestoresOnceEach(Backend backend) throws Exception {
        DriftHarness h = DriftHarness.open(backend, 1, 0, null);
        for (long s = 0; s < 400; s++) {
            h.add("v1", s * SECOND);
        }
        h.processWatermark(SLIDE - 1);
        assertThat(h.windows()).isEqualTo(windows("v1@5", 300));
        // Into the open pane 1, and into pane 0 after its first window fired.
        for (long s = 400; s < 600; s++) {
            h.add("v1", s * SECOND);
        }
        for (long s = 100; s < 150; s++) {
            h.add("v1", s * SECOND);
        }
        // Written by the timer: what came before it; the rest is pending.
        assertThat(h.keyedPanes("v1")).isEqualTo(Map.of(0L, 300L, SLIDE, 100L));
        OperatorSubtaskState first = h.snapshot(1, 1);
        // Not in the checkpoint: gone with the failed instance.
        h.add("v1", 500 * SECOND, 7);
        h.close();

        DriftHarness restored = DriftHarness.open(backend, 1, 0, first);
        assertThat(restored.keyedPanes("v1")).isEqualTo(Map.of(0L, 300L, SLIDE, 100L));
        for (long s = 700; s < 800; s++) {
            restored.add("v1", s * SECOND);
        }
        // Checkpointed again before any timer wrote the restored deltas.
        OperatorSubtaskState second = restored.snapshot(2, 2);
        restored.close();

        DriftHarness again = DriftHarness.open(backend, 1, 0, second);
        again.processWatermark(3 * SLIDE - 1);
        assertThat(again.windows()).isEqualTo(windows("v1@10", 650, "v1@15", 750));
        assertThat(again.keyedPanes("v1"))
                .isEqualTo(Map.of(0L, 350L, SLIDE, 300L, 2 * SLIDE, 100L));
        again.close();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pendingDeltasFollowTheirKeyGroupsToAnotherParallelism(Backend backend) throws Exception {
        String a = modelOfSubtask(0);
        String b = modelOfSubtask(1);
        DriftHarness single = DriftHarness.open(backend, 1, 0, null);
        for (long s = 0; s < 400; s++) {
            single.add(a, s * SECOND);
        }
        for (long s = 0; s < 200; s++) {
            single.add(b, s * SECOND);
        }
        single.processWatermark(SLIDE - 1);
        assertThat(single.windows()).isEqualTo(windows(a + "@5", 300, b + "@5", 200));
        for (long s = 400; s < 500; s++) {
            single.add(a, s * SECOND);
        }
        for (long s = 200; s < 350; s++) {
            single.add(b, s * SECOND);
        }
        OperatorSubtaskState one = single.snapshot(1, 1);
        single.close();

        // From one instance to two: each keeps the deltas of its own model version.
        DriftHarness first =
                DriftHarness.open(
                        backend,
                        2,
                        0,
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                one, MAX_PARALLELISM, 1, 2, 0));
        DriftHarness second =
                DriftHarness.open(
                        backend,
                        2,
                        1,
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                one, MAX_PARALLELISM, 1, 2, 1));
        for (long s = 500; s < 600; s++) {
            first.add(a, s * SECOND);
        }
        for (long s = 350; s < 400; s++) {
            second.add(b, s * SECOND);
        }
        first.processWatermark(2 * SLIDE - 1);
        second.processWatermark(2 * SLIDE - 1);
        assertThat(first.windows()).isEqualTo(windows(a + "@10", 600));
        assertThat(second.windows()).isEqualTo(windows(b + "@10", 400));
        for (long s = 600; s < 650; s++) {
            first.add(a, s * SECOND);
        }
        for (long s = 400; s < 430; s++) {
            second.add(b, s * SECOND);
        }
        OperatorSubtaskState two =
                AbstractStreamOperatorTestHarness.repackageState(
                        first.snapshot(2, 2), second.snapshot(2, 2));
        first.close();
        second.close();

        // And back to one: a delta kept by the wrong instance would count twice here.
        DriftHarness merged =
                DriftHarness.open(
                        backend,
                        1,
                        0,
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                two, MAX_PARALLELISM, 2, 1, 0));
        merged.processWatermark(3 * SLIDE - 1);
        assertThat(merged.windows()).isEqualTo(windows(a + "@15", 650, b + "@15", 430));
        merged.close();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void thePaneLimitCountsPendingPanesAsPanes(Backend backend) throws Exception {
        DriftHarness h = DriftHarness.open(backend, 1, 0, null);
        int limit =
                new RollingDriftFunction(WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS")
                        .maxPanes();
        long base = 2 * WINDOW;
        h.processWatermark(base);
        for (int i = 0; i < limit / 2; i++) {
            h.add("v1", base + i * SLIDE + 1);
        }
        h.processWatermark(base + SLIDE - 1);
        assertThat(h.keyedPanes("v1")).hasSize(limit / 2);
        // A delta of a pane in keyed state is one pane, not two.
        h.add("v1", base + 10 * SLIDE + 2);
        for (int i = limit / 2; i < limit + 5; i++) {
            h.add("v1", base + i * SLIDE + 1);
        }
        // At the limit, panes held still take events, in keyed state or only pending.
        h.add("v1", base + 20 * SLIDE + 2);
        h.add("v1", base + 200 * SLIDE + 2);
        h.add("v1", base + (limit + 10) * SLIDE + 1);
        assertThat(h.keyedPanes("v1")).hasSize(limit / 2);

        Map<Long, Long> panes = h.panes("v1");
        assertThat(panes).hasSize(limit);
        assertThat(panes.keySet()).allMatch(p -> p < base + limit * SLIDE);
        assertThat(panes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(limit + 3);
        assertThat(panes.get(base + 10 * SLIDE)).isEqualTo(2);
        assertThat(panes.get(base + 20 * SLIDE)).isEqualTo(2);
        assertThat(panes.get(base + 200 * SLIDE)).isEqualTo(2);
        h.close();
    }

    @Test
    void eventsAfterTheirPanesFirstWindowCountInTheNextOne() throws Exception {
        DriftHarness h = DriftHarness.open(Backend.HEAP, 1, 0, null);
        h.add("v1", MINUTE);
        h.processWatermark(SLIDE - 1);
        assertThat(h.windows()).isEqualTo(windows("v1@5", 1));
        // A delta of pane 0 whose events keep coming while none of v1's timers fires.
        h.add("v1", 2 * MINUTE, 3);
        h.processWatermark(2 * SLIDE - 2);
        h.add("v1", 3 * MINUTE, 2);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.keyedPanes("v1")).isEqualTo(Map.of(0L, 1L));
        h.processWatermark(2 * SLIDE - 1);
        assertThat(h.windows()).containsEntry("v1@10", 6L);

        // v2's only pane has left its last window and no timer of v2 is left; a delta of a pane
        // still in windows to fire, whose first window has fired, registers its own timer.
        h.add("v2", MINUTE);
        h.processWatermark(WINDOW - 1);
        assertThat(h.windows()).containsEntry("v2@60", 1L).containsEntry("v1@60", 6L);
        assertThat(h.numEventTimeTimers()).isZero();
        h.add("v2", 10 * MINUTE);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.add("v2", 20 * MINUTE);
        h.add("v2", 10 * MINUTE);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(WINDOW + 2 * SLIDE - 1);
        assertThat(h.windows())
                .containsEntry("v2@65", 3L)
                .containsEntry("v2@70", 3L)
                .doesNotContainKey("v1@65");
        h.close();
    }
}
