package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.InputRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardedParse} in a harness: parsing, the replay rules across a snapshot and restore, the
 * end of input, and the live rule against a clock the test moves.
 */
class GuardedParseTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long YEAR_9999 = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli();
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static String click(String requestId, long time) {
        return "{\"event_type\":\"feedback\",\"request_id\":\""
                + requestId
                + "\",\"event_time\":"
                + time
                + ",\"user_id\":\"u\",\"item_id\":\"i\",\"action\":\"click\"}";
    }

    private static OneInputStreamOperatorTestHarness<String, InputRecord> harness(boolean live)
            throws Exception {
        return harness(live, SKEW);
    }

    private static OneInputStreamOperatorTestHarness<String, InputRecord> harness(
            boolean live, Duration skew) throws Exception {
        OneInputStreamOperatorTestHarness<String, InputRecord> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new GuardedParse<>(
                                GuardedParse.TEXT,
                                EventLimits.defaults(),
                                "test",
                                skew,
                                live,
                                3,
                                4,
                                10));
        // Held lines are checkpointed as a POJO: a Kryo fallback would fail here.
        ExecutionConfig config = harness.getExecutionConfig();
        config.disableGenericTypes();
        return harness;
    }

    /** The output as "request_id" for events and "!category:request" for dead letters. */
    private static List<String> out(OneInputStreamOperatorTestHarness<String, InputRecord> h) {
        List<String> seen = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (!(o instanceof StreamRecord)) {
                seen.add("watermark");
                continue;
            }
            InputRecord r = (InputRecord) ((StreamRecord<?>) o).getValue();
            if (r.feedback != null) {
                seen.add(r.feedback.requestId);
            } else {
                String raw = r.deadLetter.raw;
                int at = raw.indexOf("\"request_id\":\"") + 14;
                seen.add(
                        "!"
                                + r.deadLetter.category
                                + ":"
                                + raw.substring(at, raw.indexOf('"', at)));
            }
        }
        return seen;
    }

    @Test
    void anOutlierHeldAcrossASnapshotIsRejectedAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(click("e" + i, T0 + i * SECOND), 0);
            }
            h.processElement(click("x", YEAR_9999), 0);
            h.processElement(click("f0", T0 + 3 * SECOND), 0);
            assertThat(out(h)).containsExactly("e0", "e1", "e2", "f0");
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.initializeState(snapshot);
            h.open();
            // The outlier has waited 1 event; 3 more end its patience of 4.
            h.processElement(click("f1", T0 + 4 * SECOND), 0);
            h.processElement(click("f2", T0 + 5 * SECOND), 0);
            assertThat(out(h)).containsExactly("f1", "f2");
            h.processElement(click("f3", T0 + 6 * SECOND), 0);
            assertThat(out(h)).containsExactly("f1", "f2", "f3", "!time_out_of_range:x");
            InputRecord deadLetter =
                    (InputRecord) ((StreamRecord<?>) h.getOutput().toArray()[3]).getValue();
            assertThat(deadLetter.deadLetter.reason)
                    .isEqualTo(
                            "event_time 9999-12-31T00:00:00Z is more than 5min ahead of the"
                                    + " stream's event time (reference 2026-01-01T00:00:06Z)"
                                    + " and no 2 of the next 4 events came near it");
            assertThat(deadLetter.deadLetter.source).isEqualTo("test");
            assertThat(deadLetter.eventTime()).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void eventsHeldAtTheStartSurviveARestoreAndAreReleasedInOrder() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.open();
            h.processElement(click("x", YEAR_9999), 0);
            h.processElement(click("e0", T0), 0);
            h.processElement(click("e1", T0 + SECOND), 0);
            assertThat(out(h)).isEmpty();
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(click("e2", T0 + 2 * SECOND), 0);
            assertThat(out(h)).containsExactly("e0", "e1", "e2");
            // The end of the input: the outlier was never confirmed.
            h.endInput();
            assertThat(out(h)).containsExactly("e0", "e1", "e2", "!time_out_of_range:x");
        }
    }

    @Test
    void theFinalWatermarkPassesOnlyAfterWhatWasHeld() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.open();
            h.processElement(click("a", T0), 0);
            h.processElement(click("b", T0 + SECOND), 0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            // Too little to judge: released, and before the watermark that would make them late.
            assertThat(out(h)).containsExactly("a", "b", "watermark");
        }
    }

    @Test
    void liveEventsAreJudgedByTheClockAndNeverHeld() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(true)) {
            h.open();
            h.setProcessingTime(T0);
            h.processElement(click("now", T0), 0);
            h.processElement(click("edge", T0 + 5 * MINUTE), 0);
            h.processElement(click("ahead", T0 + 5 * MINUTE + 1), 0);
            h.processElement(click("old", T0 - 3_600_000), 0);
            assertThat(out(h)).containsExactly("now", "edge", "!time_out_of_range:ahead", "old");
            // The clock moves on: the same time is now fine.
            h.setProcessingTime(T0 + MINUTE);
            h.processElement(click("ahead-later", T0 + 5 * MINUTE + 1), 0);
            assertThat(out(h)).endsWith("ahead-later");
            InputRecord rejected =
                    (InputRecord) ((StreamRecord<?>) h.getOutput().toArray()[2]).getValue();
            assertThat(rejected.deadLetter.reason)
                    .isEqualTo(
                            "event_time 2026-01-01T00:05:00.001Z is more than 5min ahead of the"
                                    + " clock (reference 2026-01-01T00:00:00Z)");
            assertThat(rejected.deadLetter.receivedAt).isEqualTo(T0);
        }
    }

    @Test
    void linesHeldByAReplayPassWhenTheJobRestartsLiveOrWithoutTheGuard() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.open();
            h.processElement(click("x", YEAR_9999), 0);
            h.processElement(click("e0", T0), 0);
            assertThat(out(h)).isEmpty();
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(true)) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(T0);
            h.processElement(click("e1", T0 + SECOND), 0);
            // Judged by the live rule, in their order, before the new line.
            assertThat(out(h)).containsExactly("!time_out_of_range:x", "e0", "e1");
        }
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h =
                harness(false, Duration.ZERO)) {
            h.initializeState(snapshot);
            h.open();
            h.endInput();
            assertThat(out(h)).containsExactly("x", "e0");
        }
    }

    @Test
    void heldLinesAreCheckpointedAsAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(HeldLine.class);
    }

    @Test
    void malformedLinesAreDeadLettersAtOnceWhateverIsHeld() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, InputRecord> h = harness(false)) {
            h.open();
            h.processElement(click("e0", T0), 0);
            h.processElement("{\"event_type\":\"feedback\",\"request_id\":\"bad\"}", 0);
            assertThat(out(h)).containsExactly("!missing_field:bad");
        }
    }
}
