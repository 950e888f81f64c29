package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import io.recsys.monitor.operators.sliced.WindowTotals;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots of the data-quality operators written by the previous release (main at 1a5fd05, before
 * the family moved onto the sliced-metric stages; {@code
 * previous-release/DataQualityStateGeneratorTest.java.txt} wrote them, windows of one second, a cap
 * of 3 feature names) restore into the operators as {@code DataQualityGraph} now wires them, and
 * give the counts the previous release would have reported: the pre-counts' pending tallies, the
 * dead-letter window's buckets, and the merge window's rolled-up contents, which now reach the
 * totals as a contribution of their own.
 */
class DataQualityPreviousReleaseStateTest {
    private static final long SECOND = 1_000L;
    private static final int MAX_FEATURES = 3;
    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final AccumulatorTypeInfo<DataQualityCounts> COUNTS =
            AccumulatorTypeInfo.of(new DataQualityCounts.Codec(MAX_FEATURES));

    private static String resource(String name) {
        return DataQualityPreviousReleaseStateTest.class
                .getResource("/previous-release/" + name)
                .getPath();
    }

    /** As the generator made them: features f0.., one item without a price unless failed. */
    private static PredictionEvent prediction(String version, int features, boolean error) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.modelVersion = version;
        p.userSegment = "new";
        p.error = error;
        p.errorType = error ? "Timeout" : null;
        for (int i = 0; i < features; i++) {
            p.numericFeatures.put("f" + i, (double) i);
        }
        if (!error) {
            p.recommendations.add(new RecommendedItem("item-1", 0.5, "c1", Double.NaN));
        }
        return p;
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    @SuppressWarnings("unchecked")
    private static <I, O, K> KeyedOneInputStreamOperatorTestHarness<K, I, O> keyed(
            SingleOutputStreamOperator<O> stream,
            KeySelector<I, K> key,
            TypeInformation<K> keyType,
            TypeInformation<O> outType,
            String backend)
            throws Exception {
        OneInputStreamOperator<I, O> operator =
                ((OneInputTransformation<I, O>) stream.getTransformation()).getOperator();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, key, keyType);
        h.getExecutionConfig().disableGenericTypes();
        h.setStateBackend(SlicedStageHarnesses.backend(backend));
        h.setup(outType.createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    private static <T> List<QualityTally> drainPreCount(
            QualityPreCount<T> preCount, String snapshot, T afterRestore, long time)
            throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(preCount)) {
            h.getExecutionConfig().disableGenericTypes();
            h.setup(
                    TypeInformation.of(QualityTally.class)
                            .createSerializer(h.getExecutionConfig().getSerializerConfig()));
            h.initializeState(OperatorSnapshotUtil.readStateHandle(resource(snapshot)));
            h.open();
            if (afterRestore != null) {
                h.processElement(new StreamRecord<>(afterRestore, time));
            }
            h.processWatermark(new Watermark(SECOND - 1));
            List<QualityTally> out = h.extractOutputValues();
            out.sort(Comparator.comparing(t -> String.valueOf(t.modelVersion)));
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap"})
    void thePendingCountsOfThePreCountsRestore(String backend) throws Exception {
        long lateness = LATENESS.toMillis();
        // v1 (f0 f1) and (f0..f3), v2 failed (f0); one more v1 (no features) after the restore.
        List<QualityTally> predictions =
                drainPreCount(
                        QualityPreCount.predictions(SECOND, lateness, MAX_FEATURES),
                        "data-quality-predictions-pre-count.snapshot",
                        prediction("v1", 0, false),
                        400L);
        assertThat(predictions).extracting(t -> t.modelVersion).containsExactly("v1", "v2");
        DataQualityCounts v1 = predictions.get(0).counts;
        assertThat(v1.predictions).isEqualTo(3);
        assertThat(v1.okPredictions).isEqualTo(3);
        assertThat(v1.featurePresent).isEqualTo(Map.of("f0", 2L, "f1", 2L, "f2", 1L));
        assertThat(v1.featuresOverCap).isEqualTo(1);
        assertThat(v1.violations).isEqualTo(Map.of(DataQualityCounting.PRICE_PRESENT, 3L));
        assertThat(v1.fieldMissing).isEqualTo(Map.of(DataQualityCounting.FEATURES, 1L));
        DataQualityCounts v2 = predictions.get(1).counts;
        assertThat(v2.predictions).isEqualTo(1);
        assertThat(v2.errorPredictions).isEqualTo(1);
        assertThat(v2.featurePresent).isEqualTo(Map.of("f0", 1L));
        // Downstream they are partials of their slice, window [0, 1 s).
        SlicePartial<DataQualityCounts> partial = predictions.get(0).partial();
        assertThat(partial.slice).isEqualTo("v1");
        assertThat(partial.windowStart).isZero();

        List<QualityTally> feedback =
                drainPreCount(
                        QualityPreCount.feedback(SECOND, lateness, MAX_FEATURES),
                        "data-quality-feedback-pre-count.snapshot",
                        new FeedbackEvent(),
                        500L);
        assertThat(feedback).singleElement().satisfies(t -> assertThat(t.modelVersion).isNull());
        assertThat(feedback.get(0).counts.feedback).isEqualTo(4);
        assertThat(feedback.get(0).partial().slice).isEqualTo(DataQualityMetric.OVERALL);

        List<QualityTally> folded =
                drainPreCount(
                        QualityPreCount.foldedValues(SECOND, lateness, MAX_FEATURES),
                        "data-quality-folded-values-pre-count.snapshot",
                        null,
                        0L);
        assertThat(folded.get(0).counts.folded)
                .isEqualTo(Map.of("ModelVersion", 1L, "Feature", 2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theDeadLetterWindowRestoresAndEmitsPartialsOfOverall(String backend) throws Exception {
        TypeInformation<SlicePartial<DataQualityCounts>> partialType =
                SlicePartial.typeInfo(COUNTS);
        SingleOutputStreamOperator<SlicePartial<DataQualityCounts>> windowed =
                env().fromData(List.of(new DeadLetter()), TypeInformation.of(DeadLetter.class))
                        .keyBy(d -> d.raw)
                        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                        .aggregate(
                                QualityAggregates.deadLetters(MAX_FEATURES),
                                DataQualityMetric.deadLetterPartial(),
                                COUNTS,
                                partialType);
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, DeadLetter, SlicePartial<DataQualityCounts>>
                h = keyed(windowed, (DeadLetter d) -> d.raw, Types.STRING, partialType, backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("data-quality-dead-letters-" + backend + ".snapshot")));
            h.open();
            h.processWatermark(new Watermark(SECOND - 1));
            List<SlicePartial<DataQualityCounts>> out = h.extractOutputValues();
            out.sort(Comparator.comparing(p -> p.aggregate.deadLetters));
            assertThat(out).extracting(p -> p.slice).containsOnly(DataQualityMetric.OVERALL);
            assertThat(out).extracting(p -> p.windowStart).containsOnly(0L);
            // Bucket "b": one invalid JSON; bucket "a": one invalid JSON, one without request_id.
            assertThat(out.get(0).aggregate.invalidByCategory)
                    .isEqualTo(Map.of("invalid_json", 1L));
            DataQualityCounts a = out.get(1).aggregate;
            assertThat(a.deadLetters).isEqualTo(2);
            assertThat(a.invalidByCategory)
                    .isEqualTo(Map.of("invalid_json", 1L, "missing_field", 1L));
            assertThat(a.fieldMissing).isEqualTo(Map.of("request_id", 1L));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void theMergeWindowRestoresAndItsContentsJoinTheTotals(String backend) throws Exception {
        TypeInformation<SliceTally<DataQualityCounts>> tallyType = SliceTally.typeInfo(COUNTS);
        SingleOutputStreamOperator<SliceTally<DataQualityCounts>> windowed =
                env().fromData(List.of(new QualityTally()), TypeInformation.of(QualityTally.class))
                        .keyBy(QualityMerge::sliceKey)
                        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                        .reduce(
                                new QualityMerge(MAX_FEATURES),
                                new QualityMerge.Restored(),
                                tallyType);
        List<SliceTally<DataQualityCounts>> restored;
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, QualityTally, SliceTally<DataQualityCounts>>
                h = keyed(windowed, QualityMerge::sliceKey, Types.STRING, tallyType, backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            resource("data-quality-merge-" + backend + ".snapshot")));
            h.open();
            h.processWatermark(new Watermark(SECOND - 1));
            restored = h.extractOutputValues();
        }
        restored.sort(Comparator.comparing(t -> t.slice));
        assertThat(restored).extracting(t -> t.slice).containsExactly("", "v1");
        assertThat(restored)
                .extracting(t -> t.sourceSlice)
                .containsOnly(QualityMerge.PREVIOUS_RELEASE);
        // v1: (f0 f1), (f0..f4) and a failure; overall: v1's copy and 4 feedback events.
        DataQualityCounts v1 = restored.get(1).accumulator;
        assertThat(v1.predictions).isEqualTo(3);
        assertThat(v1.errorPredictions).isEqualTo(1);
        assertThat(v1.featurePresent).isEqualTo(Map.of("f0", 2L, "f1", 2L, "f2", 1L));
        assertThat(v1.featuresOverCap).isEqualTo(2);
        DataQualityCounts overall = restored.get(0).accumulator;
        assertThat(overall.predictions).isEqualTo(3);
        assertThat(overall.feedback).isEqualTo(4);

        // The totals add what the sliced stages counted after the restore: one more v1 prediction
        // and its copy in overall, as the roll-up sends them.
        DataQualityCounts more = COUNTS.serializer().createInstance();
        DataQualityCounting.add(prediction("v1", 1, false), more, MAX_FEATURES);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new WindowTotals<>(
                                        SECOND,
                                        LATENESS.toMillis(),
                                        COUNTS.serializer()::createInstance,
                                        COUNTS)),
                        (SliceTally<DataQualityCounts> t) -> t.slice,
                        Types.STRING)) {
            h.getExecutionConfig().disableGenericTypes();
            h.setStateBackend(SlicedStageHarnesses.backend(backend));
            h.setup(tallyType.createSerializer(h.getExecutionConfig().getSerializerConfig()));
            h.open();
            for (SliceTally<DataQualityCounts> t : restored) {
                h.processElement(new StreamRecord<>(t, SECOND - 1));
            }
            for (String slice : List.of("v1", "")) {
                SliceTally<DataQualityCounts> fine =
                        new SliceTally<>(slice, 0, SECOND, more.copy());
                fine.sourceSlice = "v1";
                h.processElement(new StreamRecord<>(fine, SECOND - 1));
            }
            h.processWatermark(new Watermark(SECOND - 1));
            List<SliceTally<DataQualityCounts>> totals = h.extractOutputValues();
            totals.sort(Comparator.comparing(t -> t.slice));
            assertThat(totals).extracting(t -> t.slice).containsExactly("", "v1");
            assertThat(totals.get(0).accumulator.predictions).isEqualTo(4);
            assertThat(totals.get(0).accumulator.feedback).isEqualTo(4);
            assertThat(totals.get(1).accumulator.predictions).isEqualTo(4);
            assertThat(totals.get(1).accumulator.featurePresent)
                    .isEqualTo(Map.of("f0", 3L, "f1", 2L, "f2", 1L));
            assertThat(totals.get(1).accumulator.violations)
                    .isEqualTo(Map.of(DataQualityCounting.PRICE_PRESENT, 3L));
        }
    }
}
