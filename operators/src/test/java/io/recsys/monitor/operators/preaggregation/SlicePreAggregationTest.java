package io.recsys.monitor.operators.preaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.SlicePartial;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SlicePreAggregationTest {
    private static final long MINUTE = 60_000L;

    @Test
    void emitsOnePartialPerWindowAndSliceStampedWithItsLastMillisecondBeforeTheWatermark()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(0)) {
            h.processElement(event(10, "a"), 10);
            h.processElement(event(59_999, "b"), 59_999);
            h.processElement(event(60_000, "a"), 60_000);
            h.processElement(event(5, "a"), 5);
            assertThat(h.getOutput()).isEmpty();

            h.processWatermark(new Watermark(59_998));
            assertThat(h.getOutput()).containsExactly(new Watermark(59_998));

            h.processWatermark(new Watermark(59_999));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(4);
            assertThat(partials(out.subList(1, 3)))
                    .containsExactlyInAnyOrder("a@0=2 at 59999", "b@0=1 at 59999");
            assertThat(out.get(3)).isEqualTo(new Watermark(59_999));

            h.processWatermark(new Watermark(Long.MAX_VALUE));
            out = new ArrayList<>(h.getOutput());
            assertThat(partials(out.subList(4, 5))).containsExactly("a@60000=1 at 119999");
            assertThat(out.get(5)).isEqualTo(new Watermark(Long.MAX_VALUE));
        }
    }

    @Test
    void anEventWithinTheAllowedLatenessIsHeldUntilTheNextWatermarkAndEmittedBeforeIt()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h =
                harness(10 * MINUTE)) {
            h.processWatermark(new Watermark(3 * MINUTE));
            h.processElement(event(MINUTE + 7, "a"), MINUTE + 7);
            h.processElement(event(MINUTE + 8, "a"), MINUTE + 8);
            assertThat(h.getOutput()).containsExactly(new Watermark(3 * MINUTE));

            h.processWatermark(new Watermark(3 * MINUTE + 1));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(partials(out.subList(1, 2))).containsExactly("a@60000=2 at 119999");
            assertThat(out.get(2)).isEqualTo(new Watermark(3 * MINUTE + 1));
        }
    }

    @Test
    void anEventBeyondTheAllowedLatenessPassesOnAloneAtOnce() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(MINUTE)) {
            h.processWatermark(new Watermark(3 * MINUTE));
            h.processElement(event(MINUTE + 7, "a"), MINUTE + 7);
            h.processElement(event(MINUTE + 8, "a"), MINUTE + 8);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(partials(out.subList(1, 3)))
                    .containsExactly("a@60000=1 at 119999", "a@60000=1 at 119999");
        }
    }

    @Test
    void placesAnEventByItsOwnTimeWhenTheWindowTimeSaysSo() throws Exception {
        // The event is its own time; the record timestamp says otherwise.
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(0)) {
            h.processElement(event(2 * MINUTE + 1, "a"), 5);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(partials(new ArrayList<>(h.getOutput()).subList(0, 1)))
                    .containsExactly("a@120000=1 at 179999");
        }
    }

    @Test
    void aRestoreNeitherLosesNorRepeatsPendingPartials() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(0)) {
            for (int i = 0; i < 5; i++) {
                h.processElement(event(1000 + i, "a"), 1000 + i);
            }
            h.processElement(event(MINUTE + 1, "b"), MINUTE + 1);
            snapshot = h.snapshot(1, 1);
            // After the snapshot: gone with the failure, replayed by the source.
            h.processElement(event(2000, "a"), 2000);
        }
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(0, false)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(event(2000, "a"), 2000);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(partials(new ArrayList<>(h.getOutput()).subList(0, 2)))
                    .containsExactly("a@0=6 at 59999", "b@60000=1 at 119999");
        }
    }

    @Test
    void anIdleInputEmitsWhatItHoldsBeforeTheIdleStatusAndPassesEventsOnAloneUntilActive()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h = harness(0)) {
            h.processElement(event(10, "a"), 10);
            h.processElement(event(MINUTE + 10, "a"), MINUTE + 10);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            List<Object> out = new ArrayList<>(h.getOutput());
            // Both windows, the open one too: downstream no longer waits for this input.
            assertThat(partials(out.subList(0, 2)))
                    .containsExactly("a@0=1 at 59999", "a@60000=1 at 119999");
            assertThat(out.get(2)).isEqualTo(WatermarkStatus.IDLE);

            h.processElement(event(MINUTE + 20, "a"), MINUTE + 20);
            h.processElement(event(MINUTE + 30, "a"), MINUTE + 30);
            out = new ArrayList<>(h.getOutput());
            assertThat(partials(out.subList(3, 5)))
                    .containsExactly("a@60000=1 at 119999", "a@60000=1 at 119999");

            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processElement(event(MINUTE + 40, "a"), MINUTE + 40);
            h.processElement(event(MINUTE + 50, "a"), MINUTE + 50);
            assertThat(h.getOutput()).hasSize(6);
            h.processWatermark(new Watermark(2 * MINUTE));
            out = new ArrayList<>(h.getOutput());
            assertThat(partials(out.subList(6, 7))).containsExactly("a@60000=2 at 119999");
        }
    }

    /**
     * Random event times, lateness and watermarks on one channel: the window downstream counts
     * exactly the events, and sends exactly the events to its late output, that it would have had
     * every event crossed alone. The downstream decision is replayed from the output: a record is
     * late when its window's last millisecond plus the lateness is at most the last watermark
     * before it.
     */
    @Test
    void downstreamCountsAndLatenessEqualThoseOfEveryEventCrossingAlone() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            long lateness = random.nextInt(3) * MINUTE;
            TreeMap<String, Long> expected = new TreeMap<>();
            List<Object> out;
            try (OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h =
                    harness(lateness)) {
                long watermark = Long.MIN_VALUE;
                long now = 10 * MINUTE;
                for (int i = 0; i < 3000; i++) {
                    if (random.nextInt(40) == 0) {
                        now += random.nextInt((int) (2 * MINUTE));
                        watermark = now - MINUTE;
                        h.processWatermark(new Watermark(watermark));
                    } else {
                        long t = Math.max(0, now + random.nextInt((int) (5 * MINUTE)) - 4 * MINUTE);
                        String slice = random.nextBoolean() ? "a" : "b";
                        h.processElement(event(t, slice), t);
                        long last = t - t % MINUTE + MINUTE - 1;
                        boolean late = watermark != Long.MIN_VALUE && last + lateness <= watermark;
                        expected.merge(
                                (late ? "late " : "") + slice + "@" + (t - t % MINUTE),
                                1L,
                                Long::sum);
                    }
                }
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                out = new ArrayList<>(h.getOutput());
            }
            TreeMap<String, Long> counted = new TreeMap<>();
            long watermark = Long.MIN_VALUE;
            for (Object o : out) {
                if (o instanceof Watermark) {
                    watermark = ((Watermark) o).getTimestamp();
                    continue;
                }
                @SuppressWarnings("unchecked")
                StreamRecord<SlicePartial<Long>> record = (StreamRecord<SlicePartial<Long>>) o;
                SlicePartial<Long> p = record.getValue();
                assertThat(record.getTimestamp()).isEqualTo(p.windowStart + MINUTE - 1);
                boolean late =
                        watermark != Long.MIN_VALUE
                                && record.getTimestamp() + lateness <= watermark;
                counted.merge(
                        (late ? "late " : "") + p.slice + "@" + p.windowStart,
                        p.aggregate,
                        Long::sum);
            }
            assertThat(counted).as("round %d, lateness %d", round, lateness).isEqualTo(expected);
        }
    }

    @Test
    void partialsCrossTheNetworkAsPojosWithTheAggregatesOwnSerializer() throws Exception {
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<SlicePartial<Long>> serializer =
                SlicePartial.typeInfo(Types.LONG).createSerializer(config.getSerializerConfig());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(new SlicePartial<>("v1\u0001new", 60_000, 7L), out);
        SlicePartial<Long> back =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.slice).isEqualTo("v1\u0001new");
        assertThat(back.windowStart).isEqualTo(60_000);
        assertThat(back.aggregate).isEqualTo(7L);
    }

    private static OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> harness(
            long lateness) throws Exception {
        return harness(lateness, true);
    }

    private static OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> harness(
            long lateness, boolean open) throws Exception {
        SlicePreAggregation<String, Long> operator =
                new SlicePreAggregation<>(
                        new Count(),
                        SlicePreAggregationTest::sliceOf,
                        SlicePreAggregationTest::timeOf,
                        MINUTE,
                        lateness,
                        Types.LONG);
        OneInputStreamOperatorTestHarness<String, SlicePartial<Long>> h =
                new OneInputStreamOperatorTestHarness<>(operator);
        // The partials' own type: reflection alone sees an Object field and picks Kryo.
        h.setup(
                operator.partialType()
                        .createSerializer(new ExecutionConfig().getSerializerConfig()));
        if (open) {
            h.open();
        }
        return h;
    }

    /** An event: its slice and its own event time. */
    private static String event(long time, String slice) {
        return slice + ":" + time;
    }

    private static String sliceOf(String event) {
        return event.substring(0, event.indexOf(':'));
    }

    private static long timeOf(String event, long recordTimestamp) {
        return Long.parseLong(event.substring(event.indexOf(':') + 1));
    }

    private static List<String> partials(List<Object> records) {
        List<String> out = new ArrayList<>();
        for (Object o : records) {
            @SuppressWarnings("unchecked")
            StreamRecord<SlicePartial<Long>> r = (StreamRecord<SlicePartial<Long>>) o;
            SlicePartial<Long> p = r.getValue();
            out.add(p.slice + "@" + p.windowStart + "=" + p.aggregate + " at " + r.getTimestamp());
        }
        return out;
    }

    /** A count whose accumulator is immutable: each add returns a new one. */
    private static final class Count implements AggregateFunction<String, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(String value, Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }
}
