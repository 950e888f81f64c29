package io.recsys.monitor.operators.sliced;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The roll-up and totals stages of a sliced metric, on the service-health counts: a fine window
 * that fires again with late events replaces that slice's counts in the coarser totals, which are
 * emitted again once when the watermark moves; state and timers go when the lateness ends, and a
 * window in state survives a snapshot and restore.
 */
class WindowTotalsTest {
    private static final long MINUTE = 60_000L;
    private static final long LATENESS = 10 * MINUTE;
    private static final AccumulatorTypeInfo<ServiceHealthCounts> COUNTS =
            AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20));

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, SliceTally<ServiceHealthCounts>, SliceTally<ServiceHealthCounts>>
            harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, SliceTally<ServiceHealthCounts>>
                h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(
                                        new WindowTotals<>(
                                                MINUTE,
                                                LATENESS,
                                                () -> new ServiceHealthCounts(20),
                                                COUNTS)),
                                t -> t.slice,
                                Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setup(
                SliceTally.typeInfo(COUNTS)
                        .createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    private static PredictionEvent response(double latencyMs, String errorType, boolean error) {
        PredictionEvent p = new PredictionEvent();
        p.latencyMs = latencyMs;
        p.error = error;
        p.errorType = errorType;
        return p;
    }

    /** A (model version, segment) window of minute 0: latencies 1..requests ms, some errors. */
    private static SliceTally<ServiceHealthCounts> window(
            String model, String segment, int requests, int errors) {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 1; i <= requests; i++) {
            c.add(response(i, "Timeout", i <= errors));
        }
        String slice = TrafficSlice.key(model, segment);
        SliceTally<ServiceHealthCounts> tally = new SliceTally<>(slice, 0, MINUTE, c);
        tally.sourceSlice = slice;
        return tally;
    }

    private static List<SliceTally<ServiceHealthCounts>> rollUp(
            SliceTally<ServiceHealthCounts> fine) {
        List<SliceTally<ServiceHealthCounts>> copies = new ArrayList<>();
        new RollUp<ServiceHealthCounts>(TrafficSlice.ROLL_UP)
                .flatMap(
                        fine,
                        new Collector<>() {
                            @Override
                            public void collect(SliceTally<ServiceHealthCounts> t) {
                                copies.add(t);
                            }

                            @Override
                            public void close() {}
                        });
        return copies;
    }

    /** The overall copy of a fine window, as the roll-up sends it. */
    private static void overall(
            KeyedOneInputStreamOperatorTestHarness<
                            String,
                            SliceTally<ServiceHealthCounts>,
                            SliceTally<ServiceHealthCounts>>
                    h,
            SliceTally<ServiceHealthCounts> fine)
            throws Exception {
        for (SliceTally<ServiceHealthCounts> t : rollUp(fine)) {
            if (t.slice.isEmpty()) {
                h.processElement(new StreamRecord<>(t, MINUTE - 1));
            }
        }
    }

    @Test
    void aFineSliceRollsUpToItsModelVersionAndOverallWithItsOwnCopies() {
        SliceTally<ServiceHealthCounts> fine = window("v1", "new", 3, 1);
        List<SliceTally<ServiceHealthCounts>> copies = rollUp(fine);
        assertThat(copies)
                .extracting(t -> t.slice)
                .containsExactly(TrafficSlice.key("v1", "new"), TrafficSlice.key("v1", null), "");
        assertThat(copies).allSatisfy(t -> assertThat(t.sourceSlice).isEqualTo(fine.slice));
        copies.get(1).accumulator.merge(window("v1", "new", 5, 0).accumulator);
        assertThat(copies.get(0).accumulator.requests).isEqualTo(3);
        assertThat(copies.get(2).accumulator.requests).isEqualTo(3);
        // A model-version slice rolls up to overall only, overall to nothing.
        assertThat(rollUp(window("v1", null, 1, 0))).extracting(t -> t.slice).hasSize(2);
        assertThat(rollUp(window(null, null, 1, 0))).hasSize(1);
    }

    @Test
    void aLateWindowReplacesItsSliceInTheOverallTotal() throws Exception {
        try (var h = harness()) {
            h.open();
            overall(h, window("v1", "new", 40, 0));
            overall(h, window("v2", "returning", 20, 2));
            h.processWatermark(new Watermark(MINUTE - 1));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(t -> assertThat(t.accumulator.requests).isEqualTo(60));

            // v1/new fires again three times before the next watermark (late responses reaching
            // several upstream subtasks), each with its whole new count: 41, 43, then 45.
            h.processWatermark(new Watermark(MINUTE + 5_000));
            overall(h, window("v1", "new", 41, 1));
            overall(h, window("v1", "new", 43, 1));
            overall(h, window("v1", "new", 45, 3));
            assertThat(h.extractOutputValues()).hasSize(1);

            h.processWatermark(new Watermark(MINUTE + 6_000));
            assertThat(h.extractOutputValues()).hasSize(2);
            SliceTally<ServiceHealthCounts> corrected = h.extractOutputValues().get(1);
            // 45 + 20, not 40 + 41 + 43 + 45 + 20; the sketch holds the same 65 latencies.
            assertThat(corrected.accumulator.requests).isEqualTo(65);
            assertThat(corrected.accumulator.errors).isEqualTo(5);
            assertThat(corrected.accumulator.errorsByType).containsEntry("Timeout", 5L);
            assertThat(corrected.accumulator.latency.count()).isEqualTo(65);
            // Latencies 1..45 and 1..20: the largest is 45.
            assertThat(corrected.accumulator.latency.quantile(1.0)).isEqualTo(45.0);
            assertThat(corrected.windowStart).isZero();
            assertThat(corrected.windowEnd).isEqualTo(MINUTE);
            assertThat(corrected.slice).isEmpty();
            assertThat(corrected.sourceSlice).isEmpty();

            h.processWatermark(new Watermark(MINUTE - 1 + LATENESS));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anOpenWindowSurvivesASnapshotAndIsCorrectedAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            overall(h, window("v1", "new", 40, 0));
            overall(h, window("v2", "returning", 20, 2));
            h.processWatermark(new Watermark(MINUTE - 1));
            assertThat(h.extractOutputValues()).hasSize(1);
            // The overall key's map of contributions, and its end-of-lateness timer.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // A restored operator knows the watermark again once the next one arrives.
            h.processWatermark(new Watermark(MINUTE));
            overall(h, window("v2", "returning", 25, 2));
            h.processWatermark(new Watermark(MINUTE + 1_000));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(t -> assertThat(t.accumulator.requests).isEqualTo(65));
            h.processWatermark(new Watermark(MINUTE - 1 + LATENESS));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
