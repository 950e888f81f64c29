package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Records flow at once; event time waits for the warm-up, except the end of input. */
class EventTimeWarmUpTest {
    private static OneInputStreamOperatorTestHarness<String, String> harness(long warmUp)
            throws Exception {
        OneInputStreamOperatorTestHarness<String, String> h =
                new OneInputStreamOperatorTestHarness<>(new EventTimeWarmUp<>(warmUp));
        h.setProcessingTime(1_000);
        h.open();
        return h;
    }

    private static List<Long> watermarks(OneInputStreamOperatorTestHarness<String, String> h) {
        return h.getOutput().stream()
                .filter(o -> o instanceof Watermark)
                .map(o -> ((Watermark) o).getTimestamp())
                .collect(Collectors.toList());
    }

    @Test
    void holdsEventTimeUntilTheWarmUpHasPassed() throws Exception {
        try (var h = harness(30_000)) {
            h.processElement(new StreamRecord<>("first shard's event", 5_000_000));
            // The first shard alone would move event time hours ahead.
            h.processWatermark(new Watermark(5_000_000));
            h.processWatermark(new Watermark(9_000_000));
            assertThat(h.extractOutputValues()).containsExactly("first shard's event");
            assertThat(watermarks(h)).isEmpty();
            // The late shard's early event is not behind any watermark yet.
            h.processElement(new StreamRecord<>("late shard's event", 100));
            h.setProcessingTime(30_999);
            assertThat(watermarks(h)).isEmpty();
            h.setProcessingTime(31_000);
            assertThat(watermarks(h)).containsExactly(9_000_000L);
            h.processWatermark(new Watermark(9_500_000));
            assertThat(watermarks(h)).containsExactly(9_000_000L, 9_500_000L);
        }
    }

    @Test
    void theEndOfInputIsNeverHeld() throws Exception {
        try (var h = harness(30_000)) {
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(watermarks(h)).containsExactly(Long.MAX_VALUE);
        }
    }

    @Test
    void noWarmUpHoldsNothing() throws Exception {
        try (var h = harness(0)) {
            h.processWatermark(new Watermark(42));
            assertThat(watermarks(h)).containsExactly(42L);
        }
    }
}
