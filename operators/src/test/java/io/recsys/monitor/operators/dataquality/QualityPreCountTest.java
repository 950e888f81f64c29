package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.QualityTally;
import io.recsys.monitor.model.RecommendedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class QualityPreCountTest {
    private static final long MINUTE = 60_000L;

    @Test
    void emitsOneCountPerWindowStampedWithItsLastMillisecondBeforeTheWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = harness()) {
            harness.processElement(feedback(10), 10);
            harness.processElement(feedback(59_999), 59_999);
            harness.processElement(feedback(60_000), 60_000);
            harness.processElement(feedback(5), 5);
            assertThat(harness.getOutput()).isEmpty();

            harness.processWatermark(new Watermark(59_998));
            assertThat(harness.getOutput()).containsExactly(new Watermark(59_998));

            harness.processWatermark(new Watermark(59_999));
            List<Object> out = new ArrayList<>(harness.getOutput());
            assertThat(out).hasSize(3);
            assertCount(out.get(1), 59_999, 3);
            assertThat(out.get(2)).isEqualTo(new Watermark(59_999));

            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            out = new ArrayList<>(harness.getOutput());
            assertCount(out.get(3), 119_999, 1);
            assertThat(out.get(4)).isEqualTo(new Watermark(Long.MAX_VALUE));
        }
    }

    @Test
    void passesAnEventOfAnEmittedWindowOnAtOnceAloneStampedWithItsWindow() throws Exception {
        try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = harness()) {
            harness.processWatermark(new Watermark(2 * MINUTE));
            harness.processElement(feedback(MINUTE + 7), MINUTE + 7);
            List<Object> out = new ArrayList<>(harness.getOutput());
            assertThat(out).hasSize(2);
            // Its window, [1 min, 2 min), as the tumbling window downstream places it.
            assertCount(out.get(1), 2 * MINUTE - 1, 1);
        }
    }

    @Test
    void anIdleInputEmitsItsCountsBeforeTheIdleStatusAndPassesEventsOnAloneUntilActive()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = harness()) {
            harness.processElement(feedback(10), 10);
            harness.processElement(feedback(20), 20);
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            List<Object> out = new ArrayList<>(harness.getOutput());
            assertThat(out).hasSize(2);
            assertCount(out.get(0), MINUTE - 1, 2);
            assertThat(out.get(1)).isEqualTo(WatermarkStatus.IDLE);

            harness.processElement(feedback(30), 30);
            out = new ArrayList<>(harness.getOutput());
            assertCount(out.get(2), MINUTE - 1, 1);

            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processElement(feedback(40), 40);
            assertThat(harness.getOutput()).hasSize(4);
        }
    }

    @Test
    void aRestoreNeitherLosesNorRepeatsPendingCounts() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = harness()) {
            for (int i = 0; i < 5; i++) {
                harness.processElement(feedback(1000 + i), 1000 + i);
            }
            harness.processElement(feedback(MINUTE + 1), MINUTE + 1);
            snapshot = harness.snapshot(1, 1);
            // After the snapshot: gone with the failure, replayed by the source.
            harness.processElement(feedback(2000), 2000);
        }
        try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = setUp()) {
            harness.initializeState(snapshot);
            harness.open();
            harness.processElement(feedback(2000), 2000);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            List<Object> out = new ArrayList<>(harness.getOutput());
            assertCount(out.get(0), MINUTE - 1, 6);
            assertCount(out.get(1), 2 * MINUTE - 1, 1);
        }
    }

    /**
     * Random timestamps and watermarks: every event is counted once, in its own window, and every
     * count that is not an event passed on alone reaches the output before any watermark that
     * closes its window.
     */
    @Test
    void countsEveryEventOnceInItsWindowAndNeverBehindItsOwnWatermark() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            TreeMap<Long, Long> expected = new TreeMap<>();
            List<Object> out;
            try (OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness =
                    harness()) {
                long watermark = 0;
                for (int i = 0; i < 2000; i++) {
                    if (random.nextInt(50) == 0) {
                        watermark += random.nextInt((int) (3 * MINUTE));
                        harness.processWatermark(new Watermark(watermark));
                    } else {
                        // Mostly ahead of the watermark, sometimes behind it.
                        long t =
                                Math.max(
                                        0, watermark + random.nextInt((int) (4 * MINUTE)) - MINUTE);
                        harness.processElement(feedback(t), t);
                        expected.merge(t / MINUTE, 1L, Long::sum);
                    }
                }
                harness.processWatermark(new Watermark(Long.MAX_VALUE));
                out = new ArrayList<>(harness.getOutput());
            }
            Map<Long, Long> counted = new TreeMap<>();
            long lastWatermark = Long.MIN_VALUE;
            for (Object o : out) {
                if (o instanceof Watermark) {
                    lastWatermark = ((Watermark) o).getTimestamp();
                    continue;
                }
                @SuppressWarnings("unchecked")
                StreamRecord<QualityTally> record = (StreamRecord<QualityTally>) o;
                counted.merge(
                        record.getTimestamp() / MINUTE,
                        record.getValue().counts.feedback,
                        Long::sum);
                if (record.getValue().counts.feedback > 1) {
                    assertThat(record.getTimestamp()).isGreaterThan(lastWatermark);
                }
            }
            assertThat(counted).isEqualTo(expected);
        }
    }

    @Test
    void predictionTalliesPerModelVersionEqualCountingEveryEventInOnePlace() throws Exception {
        Random random = new Random(3);
        Map<String, DataQualityCounts> expected = new TreeMap<>();
        List<Object> out;
        try (OneInputStreamOperatorTestHarness<PredictionEvent, QualityTally> harness =
                new OneInputStreamOperatorTestHarness<>(
                        QualityPreCount.predictions(MINUTE, 0, 100))) {
            harness.open();
            for (int i = 0; i < 3000; i++) {
                long t = i * 50L;
                PredictionEvent p = prediction(random, t);
                harness.processElement(p, t);
                DataQualityCounting.add(
                        p,
                        expected.computeIfAbsent(
                                t / MINUTE + "/" + p.modelVersion, k -> new DataQualityCounts()),
                        100);
                if (i % 700 == 0) {
                    harness.processWatermark(new Watermark(t - 1000));
                }
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            out = new ArrayList<>(harness.getOutput());
        }
        Map<String, DataQualityCounts> counted = new TreeMap<>();
        for (Object o : out) {
            if (o instanceof StreamRecord) {
                QualityTally tally = (QualityTally) ((StreamRecord<?>) o).getValue();
                assertThat(tally.windowEnd - tally.windowStart).isEqualTo(MINUTE);
                assertThat(((StreamRecord<?>) o).getTimestamp()).isEqualTo(tally.windowEnd - 1);
                counted.merge(
                        tally.windowStart / MINUTE + "/" + tally.modelVersion,
                        tally.counts,
                        (a, b) -> a.merge(b, 100));
            }
        }
        assertThat(counted.keySet()).isEqualTo(expected.keySet());
        for (String slice : expected.keySet()) {
            assertThat(bytes(counted.get(slice))).as(slice).isEqualTo(bytes(expected.get(slice)));
        }
    }

    private static PredictionEvent prediction(Random random, long t) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r-" + t;
        p.eventTime = t;
        p.userId = "u";
        p.modelVersion = random.nextBoolean() ? "v1" : "v2";
        p.latencyMs = 10;
        p.error = random.nextInt(20) == 0;
        for (int f = 0; f < 5; f++) {
            if (random.nextInt(4) == 0) {
                p.nullFeatures.add("f" + f);
            } else if (random.nextInt(10) > 0) {
                p.numericFeatures.put("f" + f, random.nextGaussian());
            }
        }
        if (random.nextBoolean()) {
            p.categoricalFeatures.put("device", "mobile");
        }
        p.recommendations.add(
                new RecommendedItem(
                        "i",
                        random.nextBoolean() ? 0.5 : Double.NaN,
                        null,
                        random.nextDouble() + 1));
        return p;
    }

    private static byte[] bytes(DataQualityCounts counts) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        new DataQualityCounts.Codec(100).write(counts, out);
        return out.getCopyOfBuffer();
    }

    private static void assertCount(Object record, long timestamp, long feedback) {
        assertThat(record).isInstanceOf(StreamRecord.class);
        StreamRecord<?> r = (StreamRecord<?>) record;
        assertThat(r.getTimestamp()).isEqualTo(timestamp);
        assertThat(((QualityTally) r.getValue()).counts.feedback).isEqualTo(feedback);
    }

    private static OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness()
            throws Exception {
        OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness = setUp();
        harness.open();
        return harness;
    }

    private static OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> setUp()
            throws Exception {
        OneInputStreamOperatorTestHarness<FeedbackEvent, QualityTally> harness =
                new OneInputStreamOperatorTestHarness<>(QualityPreCount.feedback(MINUTE, 0, 100));
        harness.setup();
        return harness;
    }

    private static FeedbackEvent feedback(long eventTime) {
        return new FeedbackEvent("r-" + eventTime, eventTime, "u", "i", FeedbackAction.IMPRESSION);
    }
}
