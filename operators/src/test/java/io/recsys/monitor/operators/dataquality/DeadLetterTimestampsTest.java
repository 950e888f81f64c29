package io.recsys.monitor.operators.dataquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * Dead letters take their split's watermark time, are held before the first watermark and never
 * take the time they were received (the wall clock: in these tests a day in 2030, far from the
 * data's 2026-01-01).
 */
class DeadLetterTimestampsTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long RECEIVED = Instant.parse("2030-06-01T12:00:00Z").toEpochMilli();
    private static final long OUT_OF_ORDERNESS = 5_000;
    private static final long PERIOD = 60_000;

    private static DeadLetter unreadable(String raw) {
        return new DeadLetter(
                DeadLetter.Reason.INVALID_JSON, "invalid JSON: " + raw, raw, "test", RECEIVED);
    }

    private static OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> harness(int capacity)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new DeadLetterTimestamps(OUT_OF_ORDERNESS, PERIOD, capacity));
    }

    /** The records and watermarks emitted, as "raw@timestamp" and "W@timestamp". */
    private static List<String> emitted(OneInputStreamOperatorTestHarness<?, DeadLetter> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                out.add("W@" + ((Watermark) o).getTimestamp());
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<DeadLetter> r = (StreamRecord<DeadLetter>) o;
                out.add(r.getValue().raw + "@" + r.getTimestamp());
            }
        }
        return out;
    }

    private static long excluded(OneInputStreamOperatorTestHarness<?, ?> h) {
        Accumulator<?, ?> a =
                h.getOperator()
                        .getRuntimeContext()
                        .getAccumulator(DeadLetterTimestamps.EXCLUDED_ACCUMULATOR);
        return (Long) a.getLocalValue();
    }

    @Test
    void holdsDeadLettersBeforeTheFirstWatermarkAndReleasesThemAtItsTimeBeforeForwardingIt()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.open();
            // The record timestamp a source may give (here the clock) is never used either.
            h.processElement(unreadable("a"), RECEIVED);
            h.processElement(unreadable("b"), RECEIVED);
            // A readable but unchecked time: without a watermark nothing vouches for it.
            h.processElement(unreadable("{\"event_time\":\"2099-01-01T00:00:00Z\",c"), RECEIVED);
            assertThat(h.getOutput()).isEmpty();

            // Made from an event at T0 + 6 s: the held ones go there, not to the watermark + 1
            // (T0 + 1 001 ms), which may lie in a window before the data's first.
            h.processWatermark(new Watermark(T0 + 1_000));
            long newest = T0 + 1_000 + OUT_OF_ORDERNESS + 1;
            assertThat(emitted(h))
                    .containsExactly(
                            "a@" + newest,
                            "b@" + newest,
                            // Its claimed 2099 is kept to a period after that.
                            "{\"event_time\":\"2099-01-01T00:00:00Z\",c@" + (newest + PERIOD),
                            "W@" + (T0 + 1_000));

            // After it: at once, at the current watermark + 1.
            h.processElement(unreadable("d"), RECEIVED);
            h.processWatermark(new Watermark(T0 + 5_000));
            h.processElement(unreadable("e"), RECEIVED);
            assertThat(emitted(h))
                    .endsWith("d@" + (T0 + 1_001), "W@" + (T0 + 5_000), "e@" + (T0 + 5_001));
            assertThat(excluded(h)).isZero();
        }
    }

    @Test
    void holdsAtMostItsCapacityAndExcludesTheRestFromTheWindowedCounts() throws Exception {
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(2)) {
            h.open();
            for (String raw : new String[] {"a", "b", "c", "d"}) {
                h.processElement(unreadable(raw), RECEIVED);
            }
            assertThat(excluded(h)).isEqualTo(2);
            h.processWatermark(new Watermark(T0));
            long newest = T0 + OUT_OF_ORDERNESS + 1;
            assertThat(emitted(h)).containsExactly("a@" + newest, "b@" + newest, "W@" + T0);
        }
    }

    @Test
    void anInputThatEndsBeforeAnyEventTimeExcludesWhatWasHeld() throws Exception {
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.open();
            h.processElement(unreadable("a"), RECEIVED);
            h.processElement(unreadable("b"), RECEIVED);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(emitted(h)).containsExactly("W@" + Long.MAX_VALUE);
            assertThat(excluded(h)).isEqualTo(2);
            // And after the end, nothing is placed beyond every window either.
            h.processElement(unreadable("c"), RECEIVED);
            assertThat(excluded(h)).isEqualTo(3);
        }
    }

    @Test
    void heldDeadLettersSurviveASnapshotAndAreReleasedByTheFirstWatermarkAfterTheRestore()
            throws Exception {
        OperatorSubtaskState snapshot;
        String longRaw =
                "{\"x\":\"" + "y".repeat(1_000) + "\",\"event_time\":" + (T0 + 30_000) + ",";
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.open();
            h.processElement(unreadable("a"), RECEIVED);
            h.processElement(unreadable(longRaw), RECEIVED);
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.getOutput()).isEmpty();
            h.processWatermark(new Watermark(T0));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(3);
            @SuppressWarnings("unchecked")
            StreamRecord<DeadLetter> first = (StreamRecord<DeadLetter>) out.get(0);
            assertThat(first.getValue().raw).isEqualTo("a");
            assertThat(first.getTimestamp()).isEqualTo(T0 + OUT_OF_ORDERNESS + 1);
            @SuppressWarnings("unchecked")
            StreamRecord<DeadLetter> second = (StreamRecord<DeadLetter>) out.get(1);
            // Held with its raw text cut, and the time it claims (beyond the cut) kept.
            assertThat(second.getValue().raw).hasSize(HeldDeadLetter.RAW_CHARS);
            assertThat(second.getValue().category).isEqualTo("invalid_json");
            assertThat(second.getValue().receivedAt).isEqualTo(RECEIVED);
            assertThat(second.getTimestamp()).isEqualTo(T0 + 30_000);
            assertThat(out.get(2)).isEqualTo(new Watermark(T0));
        }
        // Nothing held in a snapshot taken after the release.
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(new Watermark(T0));
            snapshot = h.snapshot(2, 2);
        }
        try (OneInputStreamOperatorTestHarness<DeadLetter, DeadLetter> h = harness(10)) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(new Watermark(T0 + 10));
            assertThat(emitted(h)).containsExactly("W@" + (T0 + 10));
        }
    }

    @Test
    void aHeldDeadLetterIsAFlinkPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(HeldDeadLetter.class);
    }
}
