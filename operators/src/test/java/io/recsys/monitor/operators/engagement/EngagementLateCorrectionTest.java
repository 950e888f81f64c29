package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.sliced.SlicedStageHarnesses;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Late feedback corrects the engagement funnel's totals: the totals stage of {@link
 * EngagementMetric} replaces a fine slice's earlier counts when its window fires again with late
 * feedback, so the overall CTR is the corrected one (2 clicks on 40 impressions is 5 %, not 3 on
 * 50).
 */
class EngagementLateCorrectionTest {
    private static final long HOUR = 3_600_000L;
    private static final long LATENESS = 30 * 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<
                    String, SliceTally<EngagementCounts>, SliceTally<EngagementCounts>>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                SlicedStageHarnesses.totals(
                        EngagementMetric.COUNTS,
                        Duration.ofHours(1),
                        Duration.ofMillis(LATENESS),
                        "heap");
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** An overall-slice copy of a fine slice's tally of hour 0. */
    private static StreamRecord<SliceTally<EngagementCounts>> overallFrom(
            String model, String segment, long clicks, long impressions) {
        EngagementCounts c = new EngagementCounts();
        c.clicks = clicks;
        c.impressions = impressions;
        SliceTally<EngagementCounts> t = new SliceTally<>(TrafficSlice.key(null, null), 0, HOUR, c);
        t.sourceSlice = TrafficSlice.key(model, segment);
        return new StreamRecord<>(t, HOUR - 1);
    }

    private List<SliceTally<EngagementCounts>> out() {
        return harness.extractOutputValues();
    }

    @Test
    void aRefiredSliceReplacesItsContribution() throws Exception {
        harness.processElement(overallFrom("v1", "new", 1, 10));
        harness.processElement(overallFrom("v2", "returning", 0, 30));
        harness.processWatermark(new Watermark(HOUR - 2));
        assertThat(out()).isEmpty();

        harness.processWatermark(new Watermark(HOUR - 1));
        assertThat(out())
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.accumulator.clicks).isEqualTo(1);
                            assertThat(t.accumulator.impressions).isEqualTo(40);
                            assertThat(t.windowStart).isZero();
                            assertThat(t.windowEnd).isEqualTo(HOUR);
                            assertThat(t.slice).isEmpty();
                        });

        // v1/new fires again with late feedback: its whole new count, 2 clicks on 10.
        harness.processWatermark(new Watermark(HOUR + 60_000));
        harness.processElement(overallFrom("v1", "new", 2, 10));
        // Emitted when the watermark next moves, not on arrival.
        assertThat(out()).hasSize(1);
        harness.processWatermark(new Watermark(HOUR + 60_001));
        assertThat(out()).hasSize(2);
        SliceTally<EngagementCounts> corrected = out().get(1);
        // Replaced: 2 / 40, not (1 + 2) / (40 + 10).
        assertThat(corrected.accumulator.clicks).isEqualTo(2);
        assertThat(corrected.accumulator.impressions).isEqualTo(40);
        assertThat(
                        EngagementMetrics.clickThroughRate(
                                        corrected.accumulator, CtrDenominator.IMPRESSIONS)
                                .getAsDouble())
                .isEqualTo(5.0);
        assertThat(corrected.windowEnd).isEqualTo(HOUR);

        // State (the contributions per source slice) lives for the allowed lateness, then goes.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(new Watermark(HOUR - 1 + LATENESS));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // Anything later is not added to a total already gone.
        harness.processElement(overallFrom("v1", "new", 3, 10));
        harness.processWatermark(new Watermark(HOUR + LATENESS));
        assertThat(out()).hasSize(2);
    }

    @Test
    void lateTalliesBetweenTwoWatermarksGiveOneCorrection() throws Exception {
        harness.processElement(overallFrom("v1", "new", 1, 10));
        harness.processElement(overallFrom("v2", "returning", 0, 30));
        harness.processWatermark(new Watermark(HOUR - 1));
        assertThat(out()).hasSize(1);

        // Five re-fired tallies before the next watermark: each a whole new count of its slice
        // (as several upstream subtasks re-fire their windows), the last one of each slice wins.
        harness.processWatermark(new Watermark(HOUR + 1_000));
        harness.processElement(overallFrom("v1", "new", 2, 11));
        harness.processElement(overallFrom("v2", "returning", 1, 31));
        harness.processElement(overallFrom("v1", "new", 3, 12));
        harness.processElement(overallFrom("v2", "returning", 2, 32));
        harness.processElement(overallFrom("v1", "new", 4, 13));
        assertThat(out()).hasSize(1);
        // One timer, one millisecond after the watermark, besides the window's end of lateness.
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(new Watermark(HOUR + 2_000));
        assertThat(out()).hasSize(2);
        SliceTally<EngagementCounts> corrected = out().get(1);
        assertThat(corrected.accumulator.clicks).isEqualTo(4 + 2);
        assertThat(corrected.accumulator.impressions).isEqualTo(13 + 32);
        assertThat(corrected.windowEnd).isEqualTo(HOUR);

        // Nothing more to correct: the next watermark emits nothing.
        harness.processWatermark(new Watermark(HOUR + 3_000));
        assertThat(out()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aCorrectionAtTheEndOfLatenessIsEmittedBeforeTheStateGoes() throws Exception {
        harness.processElement(overallFrom("v1", "new", 1, 10));
        harness.processWatermark(new Watermark(HOUR - 1));
        harness.processWatermark(new Watermark(HOUR - 2 + LATENESS));
        harness.processElement(overallFrom("v1", "new", 5, 10));
        harness.processWatermark(new Watermark(HOUR - 1 + LATENESS));
        assertThat(out()).hasSize(2);
        assertThat(out().get(1).accumulator.clicks).isEqualTo(5);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
