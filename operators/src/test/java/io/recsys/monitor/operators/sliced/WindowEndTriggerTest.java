package io.recsys.monitor.operators.sliced;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.recommendation.RecommendationSketch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-slice window's trigger fires as {@link EventTimeTrigger} does, and clears a window once
 * its allowed lateness has passed: a window of this run, and a window restored from a savepoint of
 * the previous release (main at 83a94c6, whose recommendation per-slice window had no lateness and
 * so only a timer at each window's end), whose state Flink's window operator would otherwise never
 * clear.
 */
class WindowEndTriggerTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final AccumulatorTypeInfo<ServiceHealthCounts> COUNTS =
            AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20));

    private static String resource(String name) {
        return WindowEndTriggerTest.class.getResource("/previous-release/" + name).getPath();
    }

    private static SlicePartial<ServiceHealthCounts> responses(String slice, int requests) {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 1; i <= requests; i++) {
            PredictionEvent p = new PredictionEvent();
            p.latencyMs = i;
            c.add(p);
        }
        return new SlicePartial<>(slice, 0L, c);
    }

    /**
     * Minute 0 of two slices: partials before the end, the watermark at the end, one late partial
     * within the lateness, one after it; the requests of each firing.
     */
    private static List<String> firings(
            KeyedOneInputStreamOperatorTestHarness<
                            String,
                            SlicePartial<ServiceHealthCounts>,
                            SliceTally<ServiceHealthCounts>>
                    h)
            throws Exception {
        String fresh = TrafficSlice.key("v1", "new");
        String returning = TrafficSlice.key("v1", "returning");
        h.open();
        h.processElement(new StreamRecord<>(responses(fresh, 3), 10L));
        h.processElement(new StreamRecord<>(responses(returning, 2), 20L));
        h.processElement(new StreamRecord<>(responses(fresh, 1), MINUTE - 1));
        h.processWatermark(new Watermark(MINUTE - 1));
        h.processWatermark(new Watermark(MINUTE + 5_000));
        h.processElement(new StreamRecord<>(responses(fresh, 4), 30L));
        h.processWatermark(new Watermark(MINUTE - 1 + LATENESS.toMillis()));
        // Too late: the window is gone, and the element is dropped.
        h.processElement(new StreamRecord<>(responses(fresh, 5), 40L));
        h.processWatermark(new Watermark(2 * MINUTE - 1 + LATENESS.toMillis()));
        List<String> firings = new ArrayList<>();
        for (SliceTally<ServiceHealthCounts> t : h.extractOutputValues()) {
            firings.add(t.slice + "@" + t.windowStart + "=" + t.accumulator.requests);
        }
        return firings;
    }

    @Test
    void aWindowOfThisRunFiresAsTheEventTimeTriggerAndItsStateGoesAfterTheLateness()
            throws Exception {
        List<String> expected;
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        COUNTS,
                        Duration.ofMinutes(1),
                        LATENESS,
                        "heap",
                        EventTimeTrigger.create())) {
            expected = firings(h);
        }
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        COUNTS, Duration.ofMinutes(1), LATENESS, "heap")) {
            assertThat(firings(h)).isEqualTo(expected);
            assertThat(SlicedStageHarnesses.windowsInState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
        // Both slices at the end, then v1/new corrected once: 4 requests, then 8.
        String fresh = TrafficSlice.key("v1", "new");
        String returning = TrafficSlice.key("v1", "returning");
        assertThat(expected)
                .containsExactlyInAnyOrder(fresh + "@0=4", returning + "@0=2", fresh + "@0=8");
        assertThat(expected.get(expected.size() - 1)).isEqualTo(fresh + "@0=8");
    }

    @Test
    void theCleanupTimerIsTheWindowOperatorsAndCannotOverflow() throws Exception {
        WindowEndTrigger trigger = new WindowEndTrigger(LATENESS.toMillis());
        assertThat(trigger.cleanupTime(new TimeWindow(0, MINUTE)))
                .isEqualTo(MINUTE - 1 + LATENESS.toMillis());
        assertThat(trigger.cleanupTime(new TimeWindow(Long.MAX_VALUE - MINUTE, Long.MAX_VALUE)))
                .isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aRestoredRecommendationWindowIsClearedAfterTheLateness(String backend) throws Exception {
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        AccumulatorTypeInfo.of(new RecommendationSketch.Codec()),
                        Duration.ofHours(1),
                        LATENESS,
                        backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("recommendation-sketch-per-slice-" + backend + ".snapshot")));
            h.open();
            // Hour 0 was open for v1/new and v1/returning: it fires once per slice at its end...
            h.processWatermark(new Watermark(HOUR - 1));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(SlicedStageHarnesses.windowsInState(h)).isPositive();
            // ...and, nothing more arriving, its contents and timers go after the lateness.
            h.processWatermark(new Watermark(HOUR - 1 + LATENESS.toMillis()));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(SlicedStageHarnesses.windowsInState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * Health's per-slice windows had their lateness already in that release, and so their cleanup
     * timers: they go as before, with no firing more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void restoredHealthWindowsThatHadTheirLatenessGoAsBefore(String backend) throws Exception {
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        COUNTS, Duration.ofMinutes(1), LATENESS, backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("health-per-slice-" + backend + ".snapshot")));
            h.open();
            // Minute 0 had fired and was kept for its lateness; minute 1 was open.
            h.processWatermark(new Watermark(2 * MINUTE - 1));
            assertThat(h.extractOutputValues())
                    .extracting(t -> t.windowStart)
                    .containsExactly(MINUTE);
            assertThat(SlicedStageHarnesses.windowsInState(h)).isPositive();
            h.processWatermark(new Watermark(2 * MINUTE - 1 + LATENESS.toMillis()));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(SlicedStageHarnesses.windowsInState(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
