package io.recsys.monitor.operators.preaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingWindowsTest {
    private static final long MINUTE = 60_000L;

    @Test
    void placesTimesInEpochAlignedWindowsAsFlinksTumblingWindows() {
        PendingWindows<Long> pending = new PendingWindows<>(MINUTE);
        assertThat(pending.windowStart(0)).isZero();
        assertThat(pending.windowStart(MINUTE - 1)).isZero();
        assertThat(pending.windowStart(MINUTE)).isEqualTo(MINUTE);
        assertThat(pending.windowStart(-1)).isEqualTo(-MINUTE);
        assertThat(pending.lastMillisecond(MINUTE)).isEqualTo(2 * MINUTE - 1);
    }

    @Test
    void handsOverTheWindowsUpToTheWatermarkOldestFirstAndForgetsThem() throws Exception {
        PendingWindows<Long> pending = new PendingWindows<>(MINUTE);
        pending.put(2 * MINUTE, "a", 3L);
        pending.put(0, "a", 1L);
        pending.put(MINUTE, "b", 2L);
        pending.put(0, "b", 4L);
        assertThat(pending.get(0, "a")).isEqualTo(1L);
        assertThat(pending.get(MINUTE, "a")).isNull();

        List<String> out = new ArrayList<>();
        pending.drainUpTo(2 * MINUTE - 1, (start, slice, a) -> out.add(start + slice + a));
        assertThat(out).containsExactlyInAnyOrder("0a1", "0b4", "60000b2");
        assertThat(out.get(2)).isEqualTo("60000b2");
        // The window last looked up is gone with the others: a new one starts from nothing.
        assertThat(pending.get(0, "a")).isNull();
        pending.put(0, "a", 9L);
        assertThat(pending.get(0, "a")).isEqualTo(9L);

        out.clear();
        pending.forEach((start, slice, a) -> out.add(start + slice + a));
        assertThat(out).containsExactly("0a9", "120000a3");
        out.clear();
        pending.drainAll((start, slice, a) -> out.add(start + slice + a));
        assertThat(out).containsExactly("0a9", "120000a3");
        pending.forEach((start, slice, a) -> out.add("left " + start + slice + a));
        assertThat(out).hasSize(2);
    }
}
