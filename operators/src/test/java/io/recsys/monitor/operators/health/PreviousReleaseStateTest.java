package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of the service-health operators written by the previous release (main at bd6cd10,
 * before the sliced-metric stages; {@code previous-release/HealthStateGeneratorTest.java.txt} wrote
 * them, on the heap and RocksDB backends) restore into the operators built from {@link
 * ServiceHealthMetric}, and go on counting: the per-slice window's accumulators (open, and fired
 * but within their lateness), the totals' contributions per source slice, and the pre-aggregation's
 * pending partials. The expected counts follow from the generator's inputs: window 0 holds
 * latencies 1..70 ms with an error at every multiple of 7 (type Timeout + latency mod 3).
 */
class PreviousReleaseStateTest {
    private static final long MINUTE = 60_000L;
    private static final AccumulatorTypeInfo<ServiceHealthCounts> COUNTS =
            AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20));

    private static String resource(String name) {
        return PreviousReleaseStateTest.class.getResource("/previous-release/" + name).getPath();
    }

    /** As the generator counted: latencies first..first+requests-1, every 7th an error. */
    private static ServiceHealthCounts counts(int first, int requests) {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 0; i < requests; i++) {
            int latency = first + i;
            PredictionEvent p = new PredictionEvent();
            p.modelVersion = "v1";
            p.userSegment = "new";
            p.latencyMs = latency;
            p.error = latency % 7 == 0;
            p.errorType = p.error ? "Timeout" + (latency % 3) : null;
            c.add(p);
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void thePerSliceWindowRestoresAndALateResponseCorrectsAFiredWindow(String backend)
            throws Exception {
        String fine = TrafficSlice.key("v1", "new");
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        COUNTS, Duration.ofMinutes(1), Duration.ofMinutes(10), backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("health-per-slice-" + backend + ".snapshot")));
            h.open();
            // Window 0 fired before the savepoint with 70 responses; 5 more arrive late.
            h.processElement(
                    new StreamRecord<>(new SlicePartial<>(fine, 0L, counts(71, 5)), MINUTE - 1));
            h.processWatermark(new Watermark(2 * MINUTE - 1));
            List<SliceTally<ServiceHealthCounts>> out = h.extractOutputValues();
            out.sort(Comparator.comparingLong(t -> t.windowStart));
            assertThat(out).hasSize(2);
            ServiceHealthCounts corrected = out.get(0).accumulator;
            assertThat(out.get(0).slice).isEqualTo(fine);
            assertThat(corrected.requests).isEqualTo(75);
            assertThat(corrected.errors).isEqualTo(10);
            assertThat(corrected.errorsByType)
                    .containsEntry("Timeout0", 3L)
                    .containsEntry("Timeout1", 4L)
                    .containsEntry("Timeout2", 3L);
            assertThat(corrected.latency.quantile(1.0)).isEqualTo(75.0);
            // Window 1 was open at the savepoint: latencies 100..124, errors at 105, 112, 119.
            ServiceHealthCounts open = out.get(1).accumulator;
            assertThat(out.get(1).windowStart).isEqualTo(MINUTE);
            assertThat(open.requests).isEqualTo(25);
            assertThat(open.errorsByType).containsOnlyKeys("Timeout0", "Timeout1", "Timeout2");
            assertThat(open.latency.quantile(0.0)).isEqualTo(100.0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theTotalsRestoreAndReplaceALateSliceInTheOverallTotal(String backend) throws Exception {
        // The defaults are the generator's: windows of a minute, 10 minutes of lateness.
        try (var h =
                SlicedStageHarnesses.totals(
                        ServiceHealthMetric.describe(MonitorConfig.defaults()), backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("health-totals-" + backend + ".snapshot")));
            h.open();
            h.processWatermark(new Watermark(MINUTE));
            // v1/new's window 0 fires again with 35 responses in place of its 30.
            SliceTally<ServiceHealthCounts> late = new SliceTally<>("", 0, MINUTE, counts(1, 35));
            late.sourceSlice = TrafficSlice.key("v1", "new");
            assertThat(SlicedStageHarnesses.keysWithState(h, "open-windows"))
                    .containsExactlyInAnyOrder(
                            "",
                            "v1",
                            TrafficSlice.key("v1", "new"),
                            TrafficSlice.key("v1", "returning"));
            h.processElement(new StreamRecord<>(late, MINUTE - 1));
            // The previous release's labels of a slice's windows go with its next tally, or else
            // with its next timer.
            assertThat(SlicedStageHarnesses.keysWithState(h, "open-windows"))
                    .containsExactlyInAnyOrder(
                            "v1",
                            TrafficSlice.key("v1", "new"),
                            TrafficSlice.key("v1", "returning"));
            h.processWatermark(new Watermark(MINUTE + 1_000));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            t -> {
                                assertThat(t.slice).isEmpty();
                                // 35 from v1/new and 30 (latencies 200..229) from v1/returning.
                                assertThat(t.accumulator.requests).isEqualTo(65);
                                assertThat(t.accumulator.latency.quantile(1.0)).isEqualTo(229.0);
                            });
            h.processWatermark(new Watermark(MINUTE - 1 + 10 * MINUTE));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(SlicedStageHarnesses.keysWithState(h, "open-windows")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap"})
    void thePendingPartialsOfThePreAggregationRestore(String backend) throws Exception {
        try (var h =
                SlicedStageHarnesses.preAggregation(
                        COUNTS,
                        (PredictionEvent p) -> TrafficSlice.key(p.modelVersion, p.userSegment),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(10),
                        backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("health-pre-aggregation.snapshot")));
            h.open();
            h.processWatermark(new Watermark(MINUTE - 1));
            // Responses 1..12 a second apart: even ones "new", odd ones "returning"; 5 and 10
            // failed.
            List<SlicePartial<ServiceHealthCounts>> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            for (SlicePartial<ServiceHealthCounts> partial : out) {
                assertThat(partial.windowStart).isZero();
                assertThat(partial.aggregate.requests).isEqualTo(6);
                assertThat(partial.aggregate.errors).isEqualTo(1);
            }
        }
    }
}
