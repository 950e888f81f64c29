package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SlicePartial;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class LateFeedbackCountTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void lateFeedbackIsCountedInTheWindowItArrivesIn() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, SlicePartial<EngagementCounts>, MetricPoint>
                h =
                        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                                new LateFeedbackCount("NS", HOUR, "late-feedback"),
                                s -> LateFeedbackCount.KEY,
                                Types.STRING)) {
            h.processWatermark(new Watermark(2 * HOUR + 300_000));
            long t = 600_000;
            h.processElement(late(new EngagementSignal(t, "v1", "new", Kind.CLICK, 0, 0, 1)));
            h.processElement(late(new EngagementSignal(t, "v1", "new", Kind.IMPRESSION, 0, 0, 1)));
            // A late response is not feedback.
            h.processElement(late(new EngagementSignal(t, "v1", "new", Kind.SERVED, 10, 0, 0)));
            // Partials held together before the shuffle count every signal in them.
            EngagementCounts two = new EngagementCounts();
            two.add(new EngagementSignal(t, "v2", "new", Kind.PURCHASE, 0, 9.5, 2));
            two.add(new EngagementSignal(t, null, null, Kind.UNATTRIBUTED, 0, 0, 0));
            h.processElement(new StreamRecord<>(new SlicePartial<>("v2", 0, two), HOUR - 1));
            h.processWatermark(new Watermark(3 * HOUR - 2));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(new Watermark(3 * HOUR - 1));
            List<MetricPoint> out = h.extractOutputValues();
            assertThat(out)
                    .singleElement()
                    .satisfies(
                            p -> {
                                assertThat(p.metric).isEqualTo("LateFeedback");
                                assertThat(p.dimensions).isEmpty();
                                assertThat(p.value).isEqualTo(4.0);
                                assertThat(p.unit).isEqualTo("Count");
                                assertThat(p.windowStart).isEqualTo(2 * HOUR);
                                assertThat(p.timestamp).isEqualTo(3 * HOUR);
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    /** A late signal as the pre-aggregation passes it on: a partial of one, in its window. */
    private static StreamRecord<SlicePartial<EngagementCounts>> late(EngagementSignal signal) {
        long start = signal.eventTime - Math.floorMod(signal.eventTime, HOUR);
        EngagementCounts counts = new EngagementCounts();
        counts.add(signal);
        return new StreamRecord<>(
                new SlicePartial<>(
                        TrafficSlice.key(signal.modelVersion, signal.userSegment), start, counts),
                start + HOUR - 1);
    }
}
