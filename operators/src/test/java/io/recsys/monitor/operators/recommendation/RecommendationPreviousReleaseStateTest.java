package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.sliced.PreviousReleaseContents;
import io.recsys.monitor.operators.sliced.RollUp;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of the recommendation-quality operators written by the previous release (main at
 * 83a94c6, before the sliced-metric stages; {@code
 * previous-release/RecommendationStateGeneratorTest.java.txt} wrote them, on the heap and RocksDB
 * backends) restore into the operators built from {@link RecommendationQualityMetric}, and go on
 * counting: the per-slice window's open sketches, which now stay for the allowed lateness, and the
 * pre-aggregation's pending partials; and the merge window's rolled-up sketches ({@code
 * previous-release/RecommendationMergeStateGeneratorTest.java.txt}), which now reach the totals and
 * the report as a contribution of their own. Items are "item-i" of category "c" + i % 2, so a
 * list's diversity is its share of pairs of different parity.
 */
class RecommendationPreviousReleaseStateTest {
    private static final long HOUR = 3_600_000L;
    private static final AccumulatorTypeInfo<RecommendationSketch> SKETCH =
            AccumulatorTypeInfo.of(new RecommendationSketch.Codec());

    private static String resource(String name) {
        return RecommendationPreviousReleaseStateTest.class
                .getResource("/previous-release/" + name)
                .getPath();
    }

    private static PredictionEvent response(String segment, int... items) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.modelVersion = "v1";
        p.userSegment = segment;
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c" + item % 2, 1));
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void thePerSliceWindowRestoresAndNowALatePartialCorrectsItAfterItFired(String backend)
            throws Exception {
        String fresh = TrafficSlice.key("v1", "new");
        String returning = TrafficSlice.key("v1", "returning");
        try (var h =
                SlicedStageHarnesses.perSliceWindow(
                        SKETCH, Duration.ofHours(1), Duration.ofMinutes(10), backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("recommendation-sketch-per-slice-" + backend + ".snapshot")));
            h.open();
            h.processWatermark(new Watermark(HOUR - 1));
            List<SliceTally<RecommendationSketch>> fired = h.extractOutputValues();
            fired.sort(Comparator.comparing(t -> t.slice));
            assertThat(fired).extracting(t -> t.slice).containsExactly(fresh, returning);
            // v1/new: lists (1 2 3), (1 4) and (5): 3 responses, 6 exposures of 5 items,
            // diversities 2/3, 1 and none.
            RecommendationSketch v1New = fired.get(0).accumulator;
            assertThat(v1New.responses()).isEqualTo(3);
            assertThat(v1New.exposures()).isEqualTo(6);
            assertThat(v1New.distinctItems()).isCloseTo(5, within(1e-6));
            assertThat(v1New.meanDiversity().getAsDouble()).isCloseTo(5.0 / 6, within(1e-12));
            // v1/returning: the list (6 7), diversity 1.
            assertThat(fired.get(1).accumulator.responses()).isEqualTo(1);
            assertThat(fired.get(1).accumulator.meanDiversity().getAsDouble()).isEqualTo(1.0);

            // The previous release dropped this; now the fired window takes it within lateness.
            RecommendationSketch late = new RecommendationSketch();
            late.add(response("new", 8, 9));
            h.processElement(new StreamRecord<>(new SlicePartial<>(fresh, 0L, late), HOUR - 1));
            List<SliceTally<RecommendationSketch>> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            RecommendationSketch corrected = out.get(2).accumulator;
            assertThat(out.get(2).slice).isEqualTo(fresh);
            assertThat(corrected.responses()).isEqualTo(4);
            assertThat(corrected.exposures()).isEqualTo(8);
            assertThat(corrected.distinctItems()).isCloseTo(7, within(1e-6));
            // (2/3 + 1 + 1) / 3.
            assertThat(corrected.meanDiversity().getAsDouble()).isCloseTo(8.0 / 9, within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap"})
    void thePendingPartialsOfThePreAggregationRestore(String backend) throws Exception {
        try (var h =
                SlicedStageHarnesses.preAggregation(
                        SKETCH,
                        (PredictionEvent p) -> TrafficSlice.key(p.modelVersion, p.userSegment),
                        Duration.ofHours(1),
                        Duration.ofMinutes(10),
                        backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("recommendation-pre-aggregation.snapshot")));
            h.open();
            // One more "new" response after the restore joins the restored partial.
            h.processElement(new StreamRecord<>(response("new", 20, 22), 7_000L));
            h.processWatermark(new Watermark(HOUR - 1));
            // Responses 1..6 a second apart, items i and i + 1 (diversity 1): even ones "new"
            // (items 2..7), odd ones "returning" (items 1..6).
            List<SlicePartial<RecommendationSketch>> out = h.extractOutputValues();
            out.sort(Comparator.comparing(p -> p.slice));
            assertThat(out)
                    .extracting(p -> p.slice)
                    .containsExactly(
                            TrafficSlice.key("v1", "new"), TrafficSlice.key("v1", "returning"));
            RecommendationSketch v1New = out.get(0).aggregate;
            assertThat(out.get(0).windowStart).isZero();
            assertThat(v1New.responses()).isEqualTo(4);
            assertThat(v1New.exposures()).isEqualTo(8);
            assertThat(v1New.distinctItems()).isCloseTo(8, within(1e-6));
            // (1 + 1 + 1 + 0) / 4: items 20 and 22 share a category.
            assertThat(v1New.meanDiversity().getAsDouble()).isEqualTo(0.75);
            RecommendationSketch v1Returning = out.get(1).aggregate;
            assertThat(v1Returning.responses()).isEqualTo(3);
            assertThat(v1Returning.exposures()).isEqualTo(6);
            assertThat(v1Returning.distinctItems()).isCloseTo(6, within(1e-6));
        }
    }

    /**
     * The previous release's snapshot restores its partials, which scored no reference novelty: a
     * response added after the restore counts its novelty against this run's reference, which the
     * description's counting gives (the sketch holds none).
     */
    @Test
    void aResponseAfterTheRestoreCountsItsNoveltyAgainstTheReference() throws Exception {
        // Exposures 3 and 1 of 4, plus half an exposure for unseen items (ProfileExposure): shares
        // 3/4.5 and 1/4.5. The restored partial's items were read without a reference and count no
        // novelty; the new response's two items do.
        var withReference =
                RecommendationQualityMetric.describe(
                        MonitorConfig.defaults(),
                        RecommendationBaseline.of(0)
                                .withExposure(
                                        new ProfileExposure(Map.of("item-20", 3L, "item-22", 1L))));
        try (var h = SlicedStageHarnesses.preAggregation(withReference, "heap")) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("recommendation-pre-aggregation.snapshot")));
            h.open();
            h.processElement(new StreamRecord<>(response("new", 20, 22), 7_000L));
            h.processWatermark(new Watermark(HOUR - 1));
            RecommendationSketch v1New =
                    h.extractOutputValues().stream()
                            .filter(p -> p.slice.equals(TrafficSlice.key("v1", "new")))
                            .findFirst()
                            .orElseThrow()
                            .aggregate;
            assertThat(v1New.responses()).isEqualTo(4);
            double expected = (Math.log(4.5 / 3) + Math.log(4.5)) / Math.log(2) / 2;
            assertThat(v1New.meanReferenceNovelty().getAsDouble())
                    .isCloseTo(expected, within(1e-12));
        }
    }

    /**
     * The previous release's merge window (uid {@code recommendation-quality-metrics}) as {@code
     * RecommendationQualityGraph} now wires it: keyed by slice, fed nothing, firing what it
     * restored as totals of their own.
     */
    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, RecommendationTally, SliceTally<RecommendationSketch>>
            restoredMerge(String backend) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        TypeInformation<SliceTally<RecommendationSketch>> totalType = SliceTally.typeInfo(SKETCH);
        SingleOutputStreamOperator<SliceTally<RecommendationSketch>> windowed =
                env.fromData(
                                List.of(new RecommendationTally()),
                                RecommendationTally.typeInfo(SKETCH))
                        .keyBy(RecommendationTally::slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                        .reduce(
                                new RecommendationTallyMerge(),
                                new RecommendationTallyMerge.Restored(),
                                totalType);
        OneInputStreamOperator<RecommendationTally, SliceTally<RecommendationSketch>> operator =
                ((OneInputTransformation<RecommendationTally, SliceTally<RecommendationSketch>>)
                                windowed.getTransformation())
                        .getOperator();
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, RecommendationTally::slice, Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setStateBackend(SlicedStageHarnesses.backend(backend));
        h.setup(totalType.createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theMergeWindowRestoresAndItsSketchesReachTheReport(String backend) throws Exception {
        String fresh = TrafficSlice.key("v1", "new");
        String returning = TrafficSlice.key("v1", "returning");
        String v1 = TrafficSlice.key("v1", null);
        String overall = TrafficSlice.key(null, null);
        List<SliceTally<RecommendationSketch>> restored;
        try (var h = restoredMerge(backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("recommendation-quality-metrics-" + backend + ".snapshot")));
            h.open();
            h.processWatermark(new Watermark(HOUR - 1));
            restored = h.extractOutputValues();
            // Fired, its state goes: the window had no lateness, nor has it now.
            assertThat(SlicedStageHarnesses.windowsInState(h)).isZero();
        }
        restored.sort(Comparator.comparing(t -> t.slice));
        assertThat(restored)
                .extracting(t -> t.slice)
                .containsExactly(overall, v1, fresh, returning);
        assertThat(restored)
                .extracting(t -> t.sourceSlice)
                .containsOnly(PreviousReleaseContents.SOURCE_SLICE);
        assertThat(restored).extracting(t -> t.windowStart).containsOnly(0L);
        assertThat(restored).extracting(t -> t.windowEnd).containsOnly(HOUR);
        // v1/new: (1 2 3) and (1 4); v1/returning: (6 7); v1 and overall: all three.
        assertThat(restored)
                .extracting(t -> t.accumulator.responses())
                .containsExactly(3L, 3L, 2L, 1L);

        // After the restore the sliced stages count one more v1/new response, (8 9), in hour 0;
        // the roll-up sends it to v1 and overall, and the totals add the restored sketches.
        RecommendationSketch more = SKETCH.serializer().createInstance();
        more.add(response("new", 8, 9));
        SliceTally<RecommendationSketch> fine = new SliceTally<>(fresh, 0L, HOUR, more);
        fine.sourceSlice = fresh;
        List<SliceTally<RecommendationSketch>> rolledUp = new ArrayList<>();
        new RollUp<RecommendationSketch>(TrafficSlice.ROLL_UP).flatMap(fine, into(rolledUp));
        List<SliceTally<RecommendationSketch>> totals;
        try (var h =
                SlicedStageHarnesses.totals(
                        SKETCH, Duration.ofHours(1), Duration.ofMinutes(10), backend)) {
            h.open();
            for (SliceTally<RecommendationSketch> t : restored) {
                h.processElement(new StreamRecord<>(t, HOUR - 1));
            }
            for (SliceTally<RecommendationSketch> t : rolledUp) {
                h.processElement(new StreamRecord<>(t, HOUR - 1));
            }
            h.processWatermark(new Watermark(HOUR - 1));
            totals = h.extractOutputValues();
        }
        assertThat(totals).hasSize(4);

        List<MetricPoint> points = new ArrayList<>();
        RecommendationQualityReport report =
                new RecommendationQualityReport("RecSys", RecommendationBaseline.of(100));
        for (SliceTally<RecommendationSketch> t : totals) {
            report.flatMap(t, into(points));
        }
        // v1 and overall: (1 2 3), (1 4), (6 7), (8 9): 8 of 100 items, diversities 2/3, 1, 1, 1.
        for (String slice : List.of(overall, v1)) {
            MetricPoint coverage = point(points, MetricNames.COVERAGE, slice);
            assertThat(coverage.value).isCloseTo(8.0, within(1e-4));
            assertThat(coverage.samples).isEqualTo(9);
            assertThat(coverage.windowStart).isZero();
            assertThat(coverage.windowEnd).isEqualTo(HOUR);
            MetricPoint diversity = point(points, MetricNames.DIVERSITY, slice);
            assertThat(diversity.value).isCloseTo(11.0 / 12, within(1e-12));
            assertThat(diversity.samples).isEqualTo(4);
        }
        // v1/new: the restored (1 2 3) and (1 4) and the new (8 9).
        assertThat(point(points, MetricNames.COVERAGE, fresh).value).isCloseTo(6.0, within(1e-4));
        assertThat(point(points, MetricNames.DIVERSITY, fresh).value)
                .isCloseTo(8.0 / 9, within(1e-12));
        // v1/returning: the restored (6 7) alone.
        assertThat(point(points, MetricNames.COVERAGE, returning).value)
                .isCloseTo(2.0, within(1e-4));
        assertThat(point(points, MetricNames.DIVERSITY, returning).value).isEqualTo(1.0);
    }

    private static MetricPoint point(List<MetricPoint> points, String metric, String slice) {
        List<MetricPoint> matching =
                points.stream()
                        .filter(p -> p.metric.equals(metric))
                        .filter(p -> p.dimensions.equals(TrafficSlice.dimensions(slice)))
                        .collect(Collectors.toList());
        assertThat(matching).as(metric + " of slice '" + slice + "'").hasSize(1);
        return matching.get(0);
    }

    private static <T> Collector<T> into(List<T> list) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                list.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
