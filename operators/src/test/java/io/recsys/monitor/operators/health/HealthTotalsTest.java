package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.SliceTotals;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health totals ({@link HealthRollUp#totals}, a {@link SliceTotals}): a per-slice window that
 * fires again with late responses replaces that slice's counts in the model-version and overall
 * totals, which are emitted again once when the watermark moves.
 */
class HealthTotalsTest {
    private static final long MINUTE = 60_000L;
    private static final long LATENESS = 10 * MINUTE;

    private KeyedOneInputStreamOperatorTestHarness<String, HealthTally, HealthTally> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        HealthRollUp.totals(LATENESS, 20), HealthRollUp::sliceKey, Types.STRING);
        harness.getExecutionConfig().disableGenericTypes();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A (model version, segment) window of minute 0: latencies 1..requests ms, some errors. */
    private static HealthTally window(String model, String segment, int requests, int errors) {
        ServiceHealthCounts c = new ServiceHealthCounts();
        for (int i = 1; i <= requests; i++) {
            c.add(ServiceHealthMetricsTest.response(i, "Timeout", i <= errors), 20);
        }
        return new HealthTally(model, segment, 0, MINUTE, c);
    }

    /** The overall copy of a fine window, as the roll-up sends it. */
    private void overall(HealthTally fine) throws Exception {
        List<HealthTally> copies = new ArrayList<>();
        new HealthRollUp()
                .flatMap(
                        fine,
                        new Collector<>() {
                            @Override
                            public void collect(HealthTally t) {
                                copies.add(t);
                            }

                            @Override
                            public void close() {}
                        });
        for (HealthTally t : copies) {
            if (t.modelVersion == null) {
                harness.processElement(new StreamRecord<>(t, MINUTE - 1));
            }
        }
    }

    private List<HealthTally> out() {
        return harness.extractOutputValues();
    }

    @Test
    void aLateWindowReplacesItsSliceInTheOverallTotal() throws Exception {
        overall(window("v1", "new", 40, 0));
        overall(window("v2", "returning", 20, 2));
        harness.processWatermark(new Watermark(MINUTE - 1));
        assertThat(out())
                .singleElement()
                .satisfies(t -> assertThat(t.counts.requests).isEqualTo(60));

        // v1/new fires again three times before the next watermark (late responses reaching
        // several upstream subtasks), each with its whole new count: 41, 43, then 45 requests.
        harness.processWatermark(new Watermark(MINUTE + 5_000));
        overall(window("v1", "new", 41, 1));
        overall(window("v1", "new", 43, 1));
        overall(window("v1", "new", 45, 3));
        assertThat(out()).hasSize(1);

        harness.processWatermark(new Watermark(MINUTE + 6_000));
        assertThat(out()).hasSize(2);
        HealthTally corrected = out().get(1);
        // 45 + 20, not 40 + 41 + 43 + 45 + 20; the sketch holds the same 65 latencies.
        assertThat(corrected.counts.requests).isEqualTo(65);
        assertThat(corrected.counts.errors).isEqualTo(5);
        assertThat(corrected.counts.errorsByType).containsEntry("Timeout", 5L);
        assertThat(corrected.counts.latency.count()).isEqualTo(65);
        // Latencies 1..45 and 1..20: the largest is 45.
        assertThat(corrected.counts.latency.quantile(1.0)).isEqualTo(45.0);
        assertThat(corrected.windowStart).isZero();
        assertThat(corrected.windowEnd).isEqualTo(MINUTE);
        assertThat(corrected.modelVersion).isNull();

        harness.processWatermark(new Watermark(MINUTE - 1 + LATENESS));
        assertThat(out()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
