package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.sliced.RollUp;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import io.recsys.monitor.operators.sliced.WindowTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A late prediction corrects the data-quality window it belongs to, in its model version and
 * overall, within the allowed lateness (10 min, the default of {@code
 * metrics.data-quality-allowed-lateness}) and not after; the release before dropped it. The stages
 * of {@link DataQualityMetric} (per-slice window, roll-up to overall, totals, report) as operator
 * harnesses, fed the partials the pre-counts emit and the watermarks one by one, so that which
 * partial is late is fixed. Windows of an hour, the default period.
 */
class DataQualityLateDataTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final Duration LATENESS = Duration.ofMinutes(10);
    private static final AccumulatorTypeInfo<DataQualityCounts> COUNTS =
            AccumulatorTypeInfo.of(new DataQualityCounts.Codec(200));

    /**
     * The pre-count of successful predictions of {@code version}, with "age" in {@code withAge}.
     */
    private static SlicePartial<DataQualityCounts> counted(
            String version, int predictions, int withAge) {
        DataQualityCounts c = COUNTS.serializer().createInstance();
        for (int i = 0; i < predictions; i++) {
            PredictionEvent p = new PredictionEvent();
            p.modelVersion = version;
            p.userSegment = "new";
            p.numericFeatures.put(i < withAge ? "age" : "device", 1.0);
            DataQualityCounting.add(p, c, 200);
        }
        return new SlicePartial<>(version, 0L, c);
    }

    @Test
    void aLatePartialCorrectsItsModelVersionAndOverallAndALaterOneIsNotCounted() throws Exception {
        RollUp<DataQualityCounts> rollUp = new RollUp<>(List.of(DataQualityMetric.TO_OVERALL));
        DataQualityReport report = new DataQualityReport("NS");
        List<MetricPoint> points = new ArrayList<>();
        try (var perSlice =
                        SlicedStageHarnesses.perSliceWindow(
                                COUNTS, Duration.ofHours(1), LATENESS, "heap");
                KeyedOneInputStreamOperatorTestHarness<
                                String,
                                SliceTally<DataQualityCounts>,
                                SliceTally<DataQualityCounts>>
                        totals =
                                new KeyedOneInputStreamOperatorTestHarness<>(
                                        new KeyedProcessOperator<>(
                                                new WindowTotals<>(
                                                        HOUR,
                                                        LATENESS.toMillis(),
                                                        COUNTS.serializer()::createInstance,
                                                        COUNTS)),
                                        t -> t.slice,
                                        Types.STRING)) {
            totals.getExecutionConfig().disableGenericTypes();
            totals.setup(
                    SliceTally.typeInfo(COUNTS)
                            .createSerializer(totals.getExecutionConfig().getSerializerConfig()));
            perSlice.open();
            totals.open();
            // Hour 0: two v1 predictions, one with "age"; the watermark reaches its end.
            perSlice.processElement(new StreamRecord<>(counted("v1", 2, 1), HOUR - 1));
            int windowTallies = advance(perSlice, totals, rollUp, HOUR - 1, 0);
            int totalTallies = collect(totals, report, points, 0);
            // 5 min after it fired: one v2 prediction with "age" that belongs to hour 0.
            perSlice.processWatermark(new Watermark(65 * MINUTE));
            perSlice.processElement(new StreamRecord<>(counted("v2", 1, 1), HOUR - 1));
            windowTallies = advance(perSlice, totals, rollUp, 66 * MINUTE, windowTallies);
            totalTallies = collect(totals, report, points, totalTallies);
            // At 01:11, past hour 0's end of lateness: a v1 prediction of hour 0 is not counted.
            perSlice.processWatermark(new Watermark(71 * MINUTE));
            perSlice.processElement(new StreamRecord<>(counted("v1", 1, 1), HOUR - 1));
            assertThat(perSlice.extractOutputValues()).hasSize(windowTallies);
            totals.processWatermark(new Watermark(72 * MINUTE));
            assertThat(totals.extractOutputValues()).hasSize(totalTallies);
        }

        Map<String, List<Double>> volume = new TreeMap<>();
        Map<String, List<Double>> ageMissing = new TreeMap<>();
        for (MetricPoint p : points) {
            assertThat(p.timestamp).isEqualTo(HOUR);
            String series = p.dimensions.getOrDefault(MetricNames.MODEL_VERSION, "all");
            if (p.metric.equals(MetricNames.EVENT_VOLUME)
                    && "predictions".equals(p.dimensions.get(MetricNames.STREAM))) {
                volume.computeIfAbsent(series, s -> new ArrayList<>()).add(p.value);
            } else if (p.metric.equals(MetricNames.FEATURE_MISSING_RATE)
                    && "age".equals(p.dimensions.get(MetricNames.FEATURE))) {
                ageMissing.computeIfAbsent(series, s -> new ArrayList<>()).add(p.value);
            }
        }
        // Overall: reported at 01:00 over 2 predictions, corrected at 01:06 with v2's: 3.
        assertThat(volume)
                .isEqualTo(
                        Map.of(
                                "all", List.of(2.0, 3.0),
                                "v1", List.of(2.0),
                                "v2", List.of(1.0)));
        // "age" missing in 1 of 2 predictions, then in 1 of 3 (percent).
        assertThat(ageMissing)
                .isEqualTo(
                        Map.of(
                                "all", List.of(50.0, 100.0 * 1 / 3),
                                "v1", List.of(50.0),
                                "v2", List.of(0.0)));
    }

    /**
     * Moves the per-slice window's watermark to {@code time}, rolls up what it fired since the
     * {@code seen} tallies before, hands that to the totals, then moves their watermark; returns
     * how many tallies the window has fired in all.
     */
    private static int advance(
            KeyedOneInputStreamOperatorTestHarness<
                            String, SlicePartial<DataQualityCounts>, SliceTally<DataQualityCounts>>
                    perSlice,
            KeyedOneInputStreamOperatorTestHarness<
                            String, SliceTally<DataQualityCounts>, SliceTally<DataQualityCounts>>
                    totals,
            RollUp<DataQualityCounts> rollUp,
            long time,
            int seen)
            throws Exception {
        perSlice.processWatermark(new Watermark(time));
        List<SliceTally<DataQualityCounts>> fired = perSlice.extractOutputValues();
        List<SliceTally<DataQualityCounts>> rolled = new ArrayList<>();
        for (SliceTally<DataQualityCounts> tally : fired.subList(seen, fired.size())) {
            rollUp.flatMap(tally, new ListCollector<>(rolled));
        }
        for (SliceTally<DataQualityCounts> t : rolled) {
            totals.processElement(new StreamRecord<>(t, t.windowEnd - 1));
        }
        totals.processWatermark(new Watermark(time));
        return fired.size();
    }

    /** Reports the totals emitted after the first {@code seen}; returns how many there are. */
    private static int collect(
            KeyedOneInputStreamOperatorTestHarness<
                            String, SliceTally<DataQualityCounts>, SliceTally<DataQualityCounts>>
                    totals,
            DataQualityReport report,
            List<MetricPoint> points,
            int seen)
            throws Exception {
        List<SliceTally<DataQualityCounts>> emitted = totals.extractOutputValues();
        for (SliceTally<DataQualityCounts> total : emitted.subList(seen, emitted.size())) {
            report.flatMap(total, new ListCollector<>(points));
        }
        return emitted.size();
    }
}
