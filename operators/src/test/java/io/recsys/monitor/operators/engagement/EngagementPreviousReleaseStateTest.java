package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.sliced.AccumulatorAggregate;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of the engagement operators written by the previous release (main at 1a5fd05, before
 * the sliced-metric stages; {@code previous-release/EngagementStateGeneratorTest.java.txt} wrote
 * them, on the heap and RocksDB backends) restore into the operators built from {@link
 * EngagementMetric}, and go on counting. That release kept the funnel counts with Flink's POJO
 * serializer: the restored POJO serializer reads them and the codec rewrites them (Flink's state
 * migration). The expected counts follow from the generator's inputs ({@link #counts}).
 */
class EngagementPreviousReleaseStateTest {
    private static final long HOUR = 3_600_000L;
    private static final long LATENESS = 30 * 60_000L;

    /** The state in which the previous release's totals kept the labels of a slice's windows. */
    private static final String PREVIOUS_OPEN_WINDOWS = "open-windows";

    private static String resource(String name) {
        return EngagementPreviousReleaseStateTest.class
                .getResource("/previous-release/" + name)
                .getPath();
    }

    private static EngagementSignal signal(EngagementSignal.Kind kind, double orderValue) {
        int rank =
                kind == EngagementSignal.Kind.IMPRESSION || kind == EngagementSignal.Kind.CLICK
                        ? 1
                        : 0;
        int items = kind == EngagementSignal.Kind.SERVED ? 3 : 0;
        return new EngagementSignal(0, "v1", "new", kind, items, orderValue, rank);
    }

    /**
     * As the generator counted: {@code served} responses of 3 items, {@code impressions}
     * impressions and {@code clicks} clicks at rank 1, a purchase of 25.5 after every second click.
     */
    private static EngagementCounts counts(int served, int impressions, int clicks) {
        EngagementCounts c = new EngagementCounts();
        for (int i = 0; i < served; i++) {
            c.add(signal(EngagementSignal.Kind.SERVED, 0));
        }
        for (int i = 0; i < impressions; i++) {
            c.add(signal(EngagementSignal.Kind.IMPRESSION, 0));
        }
        for (int i = 0; i < clicks; i++) {
            c.add(signal(EngagementSignal.Kind.CLICK, 0));
            if (i % 2 == 1) {
                c.add(signal(EngagementSignal.Kind.PURCHASE, 25.5));
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void thePerSliceWindowRestoresAndLateFeedbackCorrectsAFiredWindow(String backend)
            throws Exception {
        String fine = TrafficSlice.key("v1", "new");
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        EngagementMetric.COUNTS,
                        Duration.ofHours(1),
                        Duration.ofMillis(LATENESS),
                        backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("engagement-per-slice-" + backend + ".snapshot")));
            h.open();
            // Hour 0 fired before the savepoint (10 responses, 50 impressions, 6 clicks, 3
            // purchases); 2 clicks and a purchase arrive late.
            h.processElement(
                    new StreamRecord<>(new SlicePartial<>(fine, 0L, counts(0, 0, 2)), HOUR - 1));
            h.processWatermark(new Watermark(2 * HOUR - 1));
            List<SliceTally<EngagementCounts>> out = h.extractOutputValues();
            out.sort(Comparator.comparingLong(t -> t.windowStart));
            assertThat(out).hasSize(2);
            EngagementCounts corrected = out.get(0).accumulator;
            assertThat(out.get(0).slice).isEqualTo(fine);
            assertThat(corrected.responses).isEqualTo(10);
            assertThat(corrected.itemsServed).isEqualTo(30);
            assertThat(corrected.impressions).isEqualTo(50);
            assertThat(corrected.clicks).isEqualTo(8);
            assertThat(corrected.purchases).isEqualTo(4);
            assertThat(corrected.revenue).isEqualTo(102.0);
            assertThat(corrected.orderValuesInSumOfSquares).isEqualTo(4);
            assertThat(corrected.orderValueSumOfSquares).isEqualTo(4 * 25.5 * 25.5);
            assertThat(corrected.clicksAtRank[0]).isEqualTo(8);
            assertThat(corrected.impressionsAtRank[0]).isEqualTo(50);
            assertThat(corrected.servedAtRank).containsExactly(10, 10, 10, 0, 0, 0, 0, 0, 0, 0);
            // CTR 8 / 50 impressions, conversion 4 / 8 clicks.
            assertThat(
                            EngagementMetrics.clickThroughRate(
                                            corrected, CtrDenominator.IMPRESSIONS)
                                    .getAsDouble())
                    .isEqualTo(16.0);
            assertThat(EngagementMetrics.conversionRate(corrected).getAsDouble()).isEqualTo(50.0);
            // Hour 1 was open at the savepoint: 5 responses, 20 impressions, 2 clicks, 1 purchase.
            EngagementCounts open = out.get(1).accumulator;
            assertThat(out.get(1).windowStart).isEqualTo(HOUR);
            assertThat(open.responses).isEqualTo(5);
            assertThat(open.impressions).isEqualTo(20);
            assertThat(open.clicks).isEqualTo(2);
            assertThat(open.revenue).isEqualTo(25.5);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, SliceTally<EngagementCounts>, SliceTally<EngagementCounts>>
            totals(String backend) throws Exception {
        // The defaults are the generator's: windows of an hour, feedback attributed for 30 min.
        return SlicedStageHarnesses.totals(
                EngagementMetric.describe(MonitorConfig.defaults()), backend);
    }

    /** The keys with labels in the previous release's {@code open-windows} after a checkpoint. */
    private static List<String> previousOpenWindowsAfterACheckpoint(
            KeyedOneInputStreamOperatorTestHarness<
                            String, SliceTally<EngagementCounts>, SliceTally<EngagementCounts>>
                    h,
            String backend)
            throws Exception {
        OperatorSubtaskState checkpoint = h.snapshot(2, 2);
        try (var restored = totals(backend)) {
            restored.initializeState(checkpoint);
            restored.open();
            return SlicedStageHarnesses.keysWithState(restored, PREVIOUS_OPEN_WINDOWS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theTotalsRestoreAndReplaceALateSliceInTheOverallTotal(String backend) throws Exception {
        try (var h = totals(backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("engagement-totals-" + backend + ".snapshot")));
            h.open();
            // The previous release kept the overall slice's hour 0 in its own state too.
            assertThat(SlicedStageHarnesses.keysWithState(h, PREVIOUS_OPEN_WINDOWS))
                    .containsExactly("");
            h.processWatermark(new Watermark(HOUR));
            // v1/new's hour 0 fires again with 8 clicks in place of its 4.
            SliceTally<EngagementCounts> late = new SliceTally<>("", 0, HOUR, counts(10, 40, 8));
            late.sourceSlice = TrafficSlice.key("v1", "new");
            h.processElement(new StreamRecord<>(late, HOUR - 1));
            assertThat(SlicedStageHarnesses.keysWithState(h, PREVIOUS_OPEN_WINDOWS)).isEmpty();
            h.processWatermark(new Watermark(HOUR + 1_000));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            t -> {
                                assertThat(t.slice).isEmpty();
                                assertThat(t.windowStart).isZero();
                                assertThat(t.windowEnd).isEqualTo(HOUR);
                                // 8 of 40 from v1/new and 6 of 60 from v1/returning.
                                assertThat(t.accumulator.clicks).isEqualTo(14);
                                assertThat(t.accumulator.impressions).isEqualTo(100);
                                assertThat(t.accumulator.responses).isEqualTo(30);
                                assertThat(t.accumulator.purchases).isEqualTo(7);
                                assertThat(t.accumulator.revenue).isEqualTo(7 * 25.5);
                            });
            assertThat(previousOpenWindowsAfterACheckpoint(h, backend)).isEmpty();
            h.processWatermark(new Watermark(HOUR - 1 + LATENESS));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theRestoredTimerOfASliceThatGetsNoMoreTalliesDropsThePreviousWindowLabels(String backend)
            throws Exception {
        try (var h = totals(backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("engagement-totals-" + backend + ".snapshot")));
            h.open();
            // Hour 0 was reported before the savepoint; its end-of-lateness timer restored with it.
            h.processWatermark(new Watermark(HOUR - 1 + LATENESS));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(SlicedStageHarnesses.keysWithState(h, "tally-by-window-and-source-slice"))
                    .isEmpty();
            assertThat(SlicedStageHarnesses.keysWithState(h, PREVIOUS_OPEN_WINDOWS)).isEmpty();
            assertThat(previousOpenWindowsAfterACheckpoint(h, backend)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap"})
    void thePendingPartialsOfThePreAggregationRestore(String backend) throws Exception {
        SlicePreAggregation<EngagementSignal, EngagementCounts> pre =
                new SlicePreAggregation<>(
                        new AccumulatorAggregate<>(EngagementCounts::new),
                        s -> TrafficSlice.key(s.modelVersion, s.userSegment),
                        (s, recordTimestamp) -> s.eventTime,
                        HOUR,
                        LATENESS,
                        EngagementMetric.COUNTS);
        try (var h = new OneInputStreamOperatorTestHarness<>(pre)) {
            h.getExecutionConfig().disableGenericTypes();
            h.setStateBackend(SlicedStageHarnesses.backend(backend));
            h.setup(
                    pre.partialType()
                            .createSerializer(h.getExecutionConfig().getSerializerConfig()));
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("engagement-pre-aggregation.snapshot")));
            h.open();
            h.processWatermark(new Watermark(HOUR - 1));
            // Signals 1..12 a second apart: even ones "new", odd ones "returning"; every third a
            // click, the others impressions, and signal 12 a purchase of 40.
            List<SlicePartial<EngagementCounts>> out = h.extractOutputValues();
            out.sort(Comparator.comparing(p -> p.slice));
            assertThat(out).hasSize(2);
            SlicePartial<EngagementCounts> fresh = out.get(0);
            assertThat(fresh.slice).isEqualTo(TrafficSlice.key("v1", "new"));
            assertThat(fresh.windowStart).isZero();
            // 2, 4, 8, 10 impressions; 6 a click; 12 a purchase.
            assertThat(fresh.aggregate.impressions).isEqualTo(4);
            assertThat(fresh.aggregate.clicks).isEqualTo(1);
            assertThat(fresh.aggregate.purchases).isEqualTo(1);
            assertThat(fresh.aggregate.revenue).isEqualTo(40.0);
            SlicePartial<EngagementCounts> returning = out.get(1);
            assertThat(returning.slice).isEqualTo(TrafficSlice.key("v1", "returning"));
            // 1, 5, 7, 11 impressions; 3 and 9 clicks.
            assertThat(returning.aggregate.impressions).isEqualTo(4);
            assertThat(returning.aggregate.clicks).isEqualTo(2);
            assertThat(returning.aggregate.purchases).isZero();
        }
    }
}
