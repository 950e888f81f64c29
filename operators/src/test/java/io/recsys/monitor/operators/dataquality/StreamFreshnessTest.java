package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.StreamEventTime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Freshness on a processing-time timer: a silent stream's lag keeps growing without input. */
class StreamFreshnessTest {
    private static final long MINUTE = 60_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, StreamEventTime, MetricPoint>
            harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, StreamEventTime, MetricPoint> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new StreamFreshness("NS", MINUTE)),
                        e -> e.stream,
                        Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        return h;
    }

    @Test
    void lagIsEmittedOnScheduleAndGrowsWhileTheStreamIsSilent() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, StreamEventTime, MetricPoint> h =
                harness()) {
            h.open();
            h.setProcessingTime(10 * MINUTE + 5_000);
            h.processElement(new StreamEventTime("predictions", 10 * MINUTE), 0);
            h.processElement(new StreamEventTime("predictions", 10 * MINUTE - 30_000), 0);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.extractOutputValues()).isEmpty();

            // No input from here on: the timer alone produces the points.
            h.setProcessingTime(11 * MINUTE);
            h.setProcessingTime(12 * MINUTE);
            List<MetricPoint> out = h.extractOutputValues();
            assertThat(out).extracting(p -> p.value).containsExactly(60.0, 120.0);
            MetricPoint p = out.get(1);
            assertThat(p.metric).isEqualTo("EventLagSeconds");
            assertThat(p.unit).isEqualTo("Seconds");
            assertThat(p.dimensions)
                    .containsExactly(
                            org.assertj.core.api.Assertions.entry("Stream", "predictions"));
            assertThat(p.timestamp).isEqualTo(12 * MINUTE);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            snapshot = h.snapshot(1, 12 * MINUTE);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, StreamEventTime, MetricPoint> h =
                harness()) {
            h.initializeState(snapshot);
            h.open();
            // The timer and the newest event time survive a restore.
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(13 * MINUTE);
            assertThat(h.extractOutputValues()).extracting(p -> p.value).containsExactly(180.0);
        }
    }
}
