package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RollingDriftFunctionTest {
    static final long MINUTE = 60_000L;
    static final long SLIDE = 5 * MINUTE;
    static final long WINDOW = 60 * MINUTE;

    /** The drift operator of a 1 h window sliding every 5 min, keyed by model version. */
    static KeyedBroadcastOperatorTestHarness<
                    String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RollingDriftFunction(WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS"),
                (DriftUnitPartial p) -> p.modelVersion,
                Types.STRING,
                RollingDriftFunction.REFERENCES);
    }

    /**
     * Pane starts held for a model version, read from the operator's keyed state once the pending
     * deltas are written to it (as the model version's next timer would).
     */
    @SuppressWarnings("unchecked")
    private static List<Long> panes(
            KeyedBroadcastOperatorTestHarness<
                            String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                    h,
            String model)
            throws Exception {
        CoBroadcastWithKeyedOperator<String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                op =
                        (CoBroadcastWithKeyedOperator<
                                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>)
                                h.getOperator();
        op.setCurrentKey(model);
        ((RollingDriftFunction) op.getUserFunction()).writePending(model);
        MapState<Long, PaneSketch> state =
                op.getKeyedStateBackend()
                        .getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                RollingDriftFunction.PANES);
        List<Long> keys = new ArrayList<>();
        for (Long k : state.keys()) {
            keys.add(k);
        }
        keys.sort(null);
        return keys;
    }

    private static List<DriftReport> reports(
            KeyedBroadcastOperatorTestHarness<
                            String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                    h) {
        return DriftTestEvents.reports(h.extractOutputValues());
    }

    @Test
    void slidesOverPanesWithOneTimerPerBoundaryAndForgetsExpiredPanes() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h = harness();
        Random random = new Random(1);
        h.processElement(
                DriftTestEvents.single(DriftTestEvents.event(random, "v1", MINUTE, 0)), MINUTE);
        h.processElement(
                DriftTestEvents.single(DriftTestEvents.event(random, "v1", 7 * MINUTE, 0)),
                7 * MINUTE);
        assertThat(panes(h, "v1")).containsExactly(0L, SLIDE);
        // One timer per pane end (5 min - 1 ms and 10 min - 1 ms).
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        h.processBroadcastWatermark(Long.MAX_VALUE);
        h.processWatermark(SLIDE - 1);
        // No reference at all: one "no-reference" report, no metric points.
        assertThat(reports(h)).hasSize(1);
        DriftReport first = reports(h).get(0);
        assertThat(first.test).isEqualTo(DriftReport.NO_REFERENCE);
        assertThat(first.nCurrent).isEqualTo(1);
        assertThat(first.windowStart).isEqualTo(SLIDE - WINDOW);
        assertThat(first.windowEnd).isEqualTo(SLIDE);
        assertThat(DriftTestEvents.metrics(h.extractOutputValues())).isEmpty();

        // Windows keep sliding while a pane is in them: 12 windows hold pane 0.
        h.processWatermark(WINDOW - 1);
        assertThat(reports(h)).hasSize(12);
        assertThat(reports(h).get(11).nCurrent).isEqualTo(2);
        assertThat(panes(h, "v1")).containsExactly(SLIDE);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(WINDOW + SLIDE - 1);
        assertThat(panes(h, "v1")).isEmpty();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(reports(h)).hasSize(13);
    }

    @Test
    void dropsLateEventsAndEventsBeyondThePaneBound() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h = harness();
        Random random = new Random(2);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        h.processWatermark(2 * WINDOW);
        // Pane [0, 5 min) is in no window still to fire: late.
        h.processElement(DriftTestEvents.single(DriftTestEvents.event(random, "v1", 0, 0)), 0);
        assertThat(panes(h, "v1")).isEmpty();
        // Panes open up to the limit; the next one is refused.
        int limit =
                new RollingDriftFunction(WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS")
                        .maxPanes();
        for (int i = 0; i < limit + 5; i++) {
            long t = 2 * WINDOW + i * SLIDE + 1;
            h.processElement(DriftTestEvents.single(DriftTestEvents.event(random, "v1", t, 0)), t);
        }
        assertThat(panes(h, "v1")).hasSize(limit);
        assertThat(limit).isEqualTo(12 + 288);
        // As event time moves, panes expire: a window's worth remains, plus the open one.
        h.processWatermark(2 * WINDOW + (limit - 1) * SLIDE - 1);
        assertThat(panes(h, "v1")).hasSize(12);
    }

    @Test
    void decidesOnTheRecentPanesAsWellAndSaysWhichWindowFlagged() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new RollingDriftFunction(
                                        WINDOW,
                                        SLIDE,
                                        1000,
                                        PaneSketch.DEFAULT_EXACT_VALUES,
                                        new long[] {15 * MINUTE, 30 * MINUTE},
                                        DriftRules.defaults(),
                                        "NS"),
                                (DriftUnitPartial p) -> p.modelVersion,
                                Types.STRING,
                                RollingDriftFunction.REFERENCES);
        h.processBroadcastElement(
                new ReferenceUpdate(
                        "ref-a.json",
                        ReferenceProfileJson.write(DriftTestEvents.reference("ref-a", 20_000, 3))),
                0);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        Random random = new Random(4);
        // An hour like the reference, then 15 minutes with age + 8 and the devices shifted.
        long end = WINDOW + 15 * MINUTE;
        for (long t = 0; t < end; t += 1000L) {
            h.processElement(
                    DriftTestEvents.single(
                            DriftTestEvents.event(random, "v1", t, t < WINDOW ? 0 : 8)),
                    t);
        }
        h.processWatermark(end - 1);

        List<DriftReport> all = reports(h);
        assertThat(all).filteredOn(r -> r.windowEnd <= WINDOW).noneMatch(r -> r.drifted);
        DriftReport age =
                all.stream()
                        .filter(r -> r.feature.equals("age") && r.windowEnd == end)
                        .findFirst()
                        .get();
        assertThat(age.drifted).isTrue();
        assertThat(age.flaggedByMinutes).isEqualTo(15);
        // The report's numbers are the full hour's.
        assertThat(age.windowStart).isEqualTo(end - WINDOW);
        assertThat(age.nCurrent).isEqualTo(3600);
        assertThat(all)
                .filteredOn(r -> r.feature.equals(DriftReport.MODEL) && r.windowEnd == end)
                .singleElement()
                .satisfies(r -> assertThat(r.flaggedByMinutes).isEqualTo(15));
    }

    @Test
    void rejectsRecentWindowsThatAreNotShorterMultiplesOfTheSlide() {
        for (long recent : new long[] {7 * MINUTE, WINDOW, 0}) {
            assertThatThrownBy(
                            () ->
                                    new RollingDriftFunction(
                                            WINDOW,
                                            SLIDE,
                                            1000,
                                            PaneSketch.DEFAULT_EXACT_VALUES,
                                            new long[] {recent},
                                            DriftRules.defaults(),
                                            "NS"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void testsAgainstTheBroadcastReferenceAndSwapsItWithoutRestart() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h = harness();
        h.processBroadcastElement(
                new ReferenceUpdate(
                        "ref-a.json",
                        ReferenceProfileJson.write(DriftTestEvents.reference("ref-a", 20_000, 3))),
                0);
        h.processBroadcastElement(new ReferenceUpdate("broken.json", "{not json"), 0);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        Random random = new Random(4);
        // Hour 0: like the reference; hour 1: age + 8, devices shifted.
        for (int i = 0; i < 7200; i++) {
            long t = i * 1000L;
            h.processElement(
                    DriftTestEvents.single(
                            DriftTestEvents.event(random, "v2", t, t < WINDOW ? 0 : 8)),
                    t);
        }
        h.processWatermark(WINDOW - 1);
        List<DriftReport> calm = reports(h);
        assertThat(calm).hasSize(12 * 4);
        assertThat(calm)
                .filteredOn(r -> r.windowEnd == WINDOW)
                .extracting(r -> r.feature)
                .containsExactlyInAnyOrder(
                        "age", "device", DriftReport.MODEL, DriftReport.PREDICTION);
        // v2 has no profile of its own: the default one is used, and named.
        assertThat(calm).allSatisfy(r -> assertThat(r.referenceVersion).isEqualTo("ref-a"));
        assertThat(calm).noneMatch(r -> r.drifted);
        DriftReport age =
                calm.stream()
                        .filter(r -> r.feature.equals("age") && r.windowEnd == WINDOW)
                        .findFirst()
                        .get();
        assertThat(age.test).isEqualTo(DriftReport.KS);
        assertThat(age.nCurrent).isEqualTo(3600);
        assertThat(age.nReference).isEqualTo(20_000);
        assertThat(age.errorBound).isGreaterThan(0).isLessThan(0.01);

        h.processBroadcastElement(
                new ReferenceUpdate(
                        "ref-b.json",
                        ReferenceProfileJson.write(DriftTestEvents.reference("ref-b", 20_000, 5))),
                0);
        h.processWatermark(2 * WINDOW - 1);
        List<DriftReport> last =
                reports(h).stream()
                        .filter(r -> r.windowEnd == 2 * WINDOW)
                        .collect(Collectors.toList());
        assertThat(last).allSatisfy(r -> assertThat(r.referenceVersion).isEqualTo("ref-b"));
        assertThat(last).filteredOn(r -> r.feature.equals("age")).allMatch(r -> r.drifted);
        assertThat(last).filteredOn(r -> r.feature.equals("device")).allMatch(r -> r.drifted);
        assertThat(last)
                .filteredOn(r -> r.feature.equals(DriftReport.MODEL))
                .allMatch(r -> r.drifted);

        List<MetricPoint> metrics =
                DriftTestEvents.metrics(h.extractOutputValues()).stream()
                        .filter(p -> p.windowEnd == 2 * WINDOW)
                        .collect(Collectors.toList());
        assertThat(metrics)
                .extracting(p -> p.metric)
                .containsExactlyInAnyOrder(
                        "FeatureDrift_age",
                        "FeatureDrift_device",
                        MetricNames.UNSEEN_CATEGORY_SHARE,
                        MetricNames.FEATURE_DRIFT,
                        MetricNames.DRIFTED_FEATURE_SHARE,
                        MetricNames.PREDICTION_DRIFT,
                        MetricNames.PREDICTION_MEAN_SHIFT,
                        MetricNames.PREDICTION_VARIANCE_CHANGE);
        assertThat(metrics).allSatisfy(p -> assertThat(p.timestamp).isEqualTo(2 * WINDOW));
        assertThat(metrics)
                .filteredOn(p -> !p.metric.equals(MetricNames.UNSEEN_CATEGORY_SHARE))
                .allSatisfy(
                        p -> assertThat(p.dimensions).containsOnlyKeys(MetricNames.MODEL_VERSION));
        assertThat(metrics)
                .filteredOn(p -> p.metric.equals(MetricNames.UNSEEN_CATEGORY_SHARE))
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.dimensions)
                                        .containsEntry(MetricNames.FEATURE, "device")
                                        .containsKey(MetricNames.MODEL_VERSION));
        assertThat(metrics)
                .filteredOn(p -> p.metric.equals(MetricNames.DRIFTED_FEATURE_SHARE))
                .allSatisfy(p -> assertThat(p.value).isEqualTo(1.0));
    }

    @Test
    void panesAndReferencesSurviveARestoreFromACheckpoint() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h = harness();
        h.processBroadcastElement(
                new ReferenceUpdate(
                        "ref-a.json",
                        ReferenceProfileJson.write(DriftTestEvents.reference("ref-a", 5_000, 3))),
                0);
        Random random = new Random(6);
        for (int i = 0; i < 600; i++) {
            h.processElement(
                    DriftTestEvents.single(DriftTestEvents.event(random, "v1", i * 1000L, 0)),
                    i * 1000L);
        }
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();

        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                restored =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new RollingDriftFunction(
                                        WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS"),
                                (DriftUnitPartial p) -> p.modelVersion,
                                Types.STRING,
                                RollingDriftFunction.REFERENCES);
        restored.close();
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                again =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        new RollingDriftFunction(
                                                WINDOW, SLIDE, 1000, DriftRules.defaults(), "NS"),
                                        java.util.Collections.singletonList(
                                                RollingDriftFunction.REFERENCES)),
                                (DriftUnitPartial p) -> p.modelVersion,
                                Types.STRING,
                                1,
                                1,
                                0);
        again.setup();
        again.initializeState(snapshot);
        again.open();
        assertThat(panes(again, "v1")).containsExactly(0L, SLIDE);
        assertThat(again.numEventTimeTimers()).isEqualTo(2);
        again.processBroadcastWatermark(Long.MAX_VALUE);
        again.processWatermark(2 * SLIDE - 1);
        assertThat(reports(again)).isNotEmpty();
        assertThat(reports(again))
                .allSatisfy(r -> assertThat(r.referenceVersion).isEqualTo("ref-a"));
        DriftReport age =
                reports(again).stream()
                        .filter(r -> r.feature.equals("age") && r.windowEnd == 2 * SLIDE)
                        .findFirst()
                        .get();
        assertThat(age.nCurrent).isEqualTo(600);
    }
}
