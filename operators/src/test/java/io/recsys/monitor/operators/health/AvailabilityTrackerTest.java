package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The availability operator: its ring in keyed state, across a snapshot and restore. */
class AvailabilityTrackerTest {
    private static final long MINUTE = 60_000L;

    private static SliceTally<ServiceHealthCounts> window(long index, int requests, int errors) {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 0; i < requests; i++) {
            c.add(ServiceHealthMetricsTest.response(10, "X", i < errors));
        }
        return new SliceTally<>(
                TrafficSlice.key("v1", null), index * MINUTE, (index + 1) * MINUTE, c);
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, SliceTally<ServiceHealthCounts>, MetricPoint>
            harness() throws Exception {
        return harness(new AvailabilityTracker("NS", 60, 5.0));
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, SliceTally<ServiceHealthCounts>, MetricPoint>
            harness(AvailabilityTracker tracker) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(tracker), t -> t.slice, Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        return h;
    }

    private static double last(KeyedOneInputStreamOperatorTestHarness<?, ?, MetricPoint> h) {
        MetricPoint p = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertThat(p.metric).isEqualTo("Availability");
        assertThat(p.dimensions).containsEntry("ModelVersion", "v1");
        return p.value;
    }

    @Test
    void availabilitySurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness()) {
            h.open();
            h.processElement(window(0, 100, 0), 0);
            h.processElement(window(1, 100, 10), 0); // 10 % errors: unavailable
            assertThat(last(h)).isCloseTo(50.0, within(1e-12));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // ring + newest window
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(window(2, 100, 4), 0); // 4 %: available
            h.processElement(window(3, 100, 0), 0);
            // 3 of 4 windows, the first two restored.
            assertThat(last(h)).isCloseTo(75.0, within(1e-12));
            // The windows with traffic are the trials behind it.
            assertThat(h.extractOutputValues().get(1).samples).isEqualTo(4);
        }
    }

    @Test
    void aCorrectedWindowReplacesItsStateAndLaterWindowsAreReportedAgain() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness(new AvailabilityTracker("NS", 3, 5.0, 0, 2))) {
            h.open();
            h.processElement(window(0, 100, 0), 0);
            h.processElement(window(1, 100, 0), 0);
            h.processElement(window(2, 100, 0), 0);
            h.processElement(window(3, 100, 0), 0);
            assertThat(h.extractOutputValues()).extracting(p -> p.value).containsOnly(100.0);
            h.getOutput().clear();

            // Window 2 comes again with late errors (10 %): it now is unavailable. Windows 2 and 3
            // are reported again, each over its own span of three windows.
            h.processElement(window(2, 110, 11), 0);
            List<MetricPoint> again = h.extractOutputValues();
            assertThat(again).extracting(p -> p.timestamp).containsExactly(3 * MINUTE, 4 * MINUTE);
            assertThat(again.get(0).windowStart).isEqualTo(2 * MINUTE);
            assertThat(again)
                    .extracting(p -> p.value)
                    .allSatisfy(v -> assertThat(v).isCloseTo(200.0 / 3, within(1e-12)));
            h.getOutput().clear();

            // Corrected once more, back to available: replaced, not counted twice.
            h.processElement(window(2, 120, 0), 0);
            assertThat(h.extractOutputValues())
                    .extracting(p -> p.value)
                    .containsExactly(100.0, 100.0);
        }
    }

    @Test
    void windowsBeyondTheCorrectedWindowsSpanAreNotReportedAgain() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness(new AvailabilityTracker("NS", 2, 5.0, 0, 3))) {
            h.open();
            for (int w = 0; w <= 4; w++) {
                h.processElement(window(w, 100, 0), 0);
            }
            h.getOutput().clear();

            // Window 2 corrected: only windows 2 and 3 hold it in their span of two; window 4
            // (kept for the lateness) does not, and its value has not changed.
            h.processElement(window(2, 110, 11), 0);
            assertThat(h.extractOutputValues())
                    .extracting(p -> p.timestamp)
                    .containsExactly(3 * MINUTE, 4 * MINUTE);
        }
    }

    @Test
    void aRingOfAnEarlierLengthIsCarriedOver() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness(new AvailabilityTracker("NS", 4, 5.0))) {
            h.open();
            h.processElement(window(0, 100, 10), 0);
            h.processElement(window(1, 100, 0), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness(new AvailabilityTracker("NS", 4, 5.0, 0, 10))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(window(2, 100, 0), 0);
            // 2 of 3: the restored windows 0 (unavailable) and 1 count.
            assertThat(last(h)).isCloseTo(200.0 / 3, within(1e-12));
        }
    }

    @Test
    void atAConfidenceAFewErrorsInASmallWindowAreNoOutage() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SliceTally<ServiceHealthCounts>, MetricPoint>
                h = harness(new AvailabilityTracker("NS", 4, 5.0, 0.95, 0))) {
            h.open();
            h.processElement(window(0, 60, 0), 0);
            h.processElement(window(1, 60, 3), 0); // 5 %, Wilson lower bound 1.7 %: available
            assertThat(last(h)).isCloseTo(100.0, within(1e-12));
            h.processElement(window(2, 60, 12), 0); // 20 %, lower bound 11.8 %: an outage
            assertThat(last(h)).isCloseTo(200.0 / 3, within(1e-12));
        }
    }
}
