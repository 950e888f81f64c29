package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The availability operator: its ring in keyed state, across a snapshot and restore. */
class AvailabilityTrackerTest {
    private static final long MINUTE = 60_000L;

    private static HealthTally window(long index, int requests, int errors) {
        ServiceHealthCounts c = new ServiceHealthCounts();
        for (int i = 0; i < requests; i++) {
            c.add(ServiceHealthMetricsTest.response(10, "X", i < errors), 20);
        }
        return new HealthTally("v1", null, index * MINUTE, (index + 1) * MINUTE, c);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, HealthTally, MetricPoint>
            harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, HealthTally, MetricPoint> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AvailabilityTracker("NS", 60, 5.0)),
                        HealthRollUp::sliceKey,
                        Types.STRING);
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
        try (KeyedOneInputStreamOperatorTestHarness<String, HealthTally, MetricPoint> h =
                harness()) {
            h.open();
            h.processElement(window(0, 100, 0), 0);
            h.processElement(window(1, 100, 10), 0); // 10 % errors: unavailable
            assertThat(last(h)).isCloseTo(50.0, within(1e-12));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // ring + newest window
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, HealthTally, MetricPoint> h =
                harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(window(2, 100, 4), 0); // 4 %: available
            h.processElement(window(3, 100, 0), 0);
            // 3 of 4 windows, the first two restored.
            assertThat(last(h)).isCloseTo(75.0, within(1e-12));
        }
    }
}
