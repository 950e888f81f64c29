package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.InputRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link ReplayWatermarks}: watermarks moved by the data alone, and kept across a restore. */
class ReplayWatermarksTest {
    private static final long OUT_OF_ORDERNESS = 30_000;
    private static final long STEP = 30_000;

    private static OneInputStreamOperatorTestHarness<InputRecord, InputRecord> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ReplayWatermarks(OUT_OF_ORDERNESS, STEP));
    }

    private static InputRecord event(long eventTime) {
        FeedbackEvent feedback = new FeedbackEvent();
        feedback.eventTime = eventTime;
        return InputRecord.of(feedback);
    }

    private static InputRecord deadLetter() {
        return InputRecord.of(
                new DeadLetter(DeadLetter.Reason.INVALID_JSON, "invalid JSON", "{", "test", 0L));
    }

    /** Each element of the output as "t=TIMESTAMP" or "wm=WATERMARK". */
    private static List<String> out(OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h) {
        List<String> out = new ArrayList<>();
        for (Object element : h.getOutput()) {
            if (element instanceof Watermark) {
                out.add("wm=" + ((Watermark) element).getTimestamp());
            } else {
                out.add("t=" + ((StreamRecord<?>) element).getTimestamp());
            }
        }
        return out;
    }

    @Test
    void theWatermarkTrailsTheNewestEventAndMovesInStepsOfEventTime() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(event(100_000)));
            h.processElement(new StreamRecord<>(event(110_000)));
            h.processElement(new StreamRecord<>(event(90_000)));
            h.processElement(new StreamRecord<>(deadLetter()));
            h.processElement(new StreamRecord<>(event(130_000)));
            h.processElement(new StreamRecord<>(event(140_000)));
            assertThat(out(h))
                    .containsExactly(
                            "t=100000",
                            "wm=69999",
                            "t=110000",
                            "t=90000",
                            "t=" + Long.MIN_VALUE,
                            "t=130000",
                            "wm=99999",
                            "t=140000");
        }
    }

    @Test
    void theSameEventsGiveTheSameWatermarksWhateverTheWallClock() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (long wallClock : new long[] {0, 200, 5_000_000}) {
            try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness()) {
                h.open();
                for (long t = 0; t < 600_000; t += 7_000) {
                    h.setProcessingTime(wallClock + t / 1000);
                    h.processElement(new StreamRecord<>(event(t)));
                }
                runs.add(out(h));
            }
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
    }

    @Test
    void aRestoredRunEmitsItsLastWatermarkBeforeAnyEvent() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(event(100_000)));
            h.processElement(new StreamRecord<>(event(200_000)));
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // Later than the watermark's step would allow anew: no second watermark yet.
            h.processElement(new StreamRecord<>(event(150_000)));
            h.processElement(new StreamRecord<>(event(210_000)));
            assertThat(out(h)).containsExactly("wm=169999", "t=150000", "t=210000");
        }
    }

    @Test
    void onlyTheFinalWatermarkFromUpstreamPassesThrough() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, InputRecord> h = harness()) {
            h.open();
            h.processWatermark(new Watermark(1_000_000));
            h.processElement(new StreamRecord<>(event(100_000)));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(out(h)).containsExactly("t=100000", "wm=69999", "wm=" + Long.MAX_VALUE);
        }
    }

    @Test
    void theStepIsCountedFromTheLastWatermark() {
        assertThat(ReplayWatermarks.WatermarkPace.next(Long.MIN_VALUE, 50, 10, 100)).isEqualTo(39);
        assertThat(ReplayWatermarks.WatermarkPace.next(39, 138, 10, 100)).isEqualTo(39);
        assertThat(ReplayWatermarks.WatermarkPace.next(39, 150, 10, 100)).isEqualTo(139);
        assertThat(ReplayWatermarks.WatermarkPace.next(39, Long.MIN_VALUE, 10, 100)).isEqualTo(39);
    }
}
