package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimensionCapTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void keepsTheFirstValuesUpToTheCapAndFoldsTheRest() {
        DimensionCap cap = new DimensionCap(3, 0);
        assertThat(cap.admit("v1", 1)).isEqualTo("v1");
        assertThat(cap.admit("v2", 2)).isEqualTo("v2");
        assertThat(cap.admit("v1", 3)).isEqualTo("v1");
        assertThat(cap.admit("v3", 4)).isEqualTo("v3");
        assertThat(cap.admit("v4", 5)).isEqualTo(DimensionCap.OTHER);
        // A kept value keeps its name after the cap is reached.
        assertThat(cap.admit("v2", 6)).isEqualTo("v2");
        assertThat(cap.admit("v5", 7)).isEqualTo(DimensionCap.OTHER);
        assertThat(cap.kept()).containsOnlyKeys("v1", "v2", "v3");
    }

    @Test
    void storesNoValueBeyondTheCapWhateverTheInput() {
        DimensionCap cap = new DimensionCap(50, HOUR);
        int folded = 0;
        for (int i = 0; i < 100_000; i++) {
            // A new value per event, all within the idle time: nothing may be released.
            if (DimensionCap.OTHER.equals(cap.admit("v" + i, i))) {
                folded++;
            }
            assertThat(cap.size()).isLessThanOrEqualTo(50);
        }
        assertThat(folded).isEqualTo(100_000 - 50);
        assertThat(cap.kept()).hasSize(50).containsKeys("v0", "v49").doesNotContainKey("v50");
    }

    @Test
    void anAbsentValueIsNeitherKeptNorFolded() {
        DimensionCap cap = new DimensionCap(1, 0);
        assertThat(cap.admit(null, 1)).isNull();
        assertThat(cap.size()).isZero();
        assertThat(cap.admit("v1", 2)).isEqualTo("v1");
        assertThat(cap.admit(null, 3)).isNull();
    }

    @Test
    void theSameInputInTheSameOrderKeepsTheSameValues() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        DimensionCap a = new DimensionCap(7, 2 * HOUR);
        DimensionCap b = new DimensionCap(7, 2 * HOUR);
        for (int i = 0; i < 5_000; i++) {
            // Values come and go, with event times out of order.
            String value = "v" + (i * 7919 % 41);
            long time = (i / 10) * 60_000L + (i % 3) * 1_000L;
            first.add(a.admit(value, time));
            second.add(b.admit(value, time));
        }
        assertThat(first).isEqualTo(second);
        assertThat(a.kept()).isEqualTo(b.kept());
    }

    @Test
    void aValueIdleForTheReleaseTimeGivesItsPlaceToANewOne() {
        DimensionCap cap = new DimensionCap(2, HOUR);
        cap.admit("v1", 0);
        cap.admit("v2", 10 * 60_000L);
        // Both seen within the hour: no place.
        assertThat(cap.admit("v3", 50 * 60_000L)).isEqualTo(DimensionCap.OTHER);
        // v1 last seen at 0 is idle at 1 h + 1 ms; v2 is not: v3 takes v1's place.
        assertThat(cap.admit("v3", HOUR + 1)).isEqualTo("v3");
        assertThat(cap.kept()).containsOnlyKeys("v2", "v3");
        // v1 is new again, and v2 (seen at 10 min) is not idle yet.
        assertThat(cap.admit("v1", HOUR + 2)).isEqualTo(DimensionCap.OTHER);
        assertThat(cap.admit("v1", HOUR + 10 * 60_000L + 1)).isEqualTo("v1");
        assertThat(cap.kept()).containsOnlyKeys("v3", "v1");
    }

    @Test
    void aKeptValueSeenAgainIsNotIdle() {
        DimensionCap cap = new DimensionCap(1, HOUR);
        cap.admit("v1", 0);
        cap.admit("v1", 2 * HOUR);
        assertThat(cap.admit("v2", 2 * HOUR + 1)).isEqualTo(DimensionCap.OTHER);
        // A late event of v1 does not make it look older.
        cap.admit("v1", 0);
        assertThat(cap.admit("v2", 3 * HOUR)).isEqualTo(DimensionCap.OTHER);
        assertThat(cap.admit("v2", 3 * HOUR + 1)).isEqualTo("v2");
    }

    @Test
    void withoutIdleReleaseAKeptValueIsKeptForever() {
        DimensionCap cap = new DimensionCap(1, 0);
        cap.admit("v1", 0);
        assertThat(cap.admit("v2", Long.MAX_VALUE)).isEqualTo(DimensionCap.OTHER);
    }

    @Test
    void aRestoreKeepsEveryKeptValueWithItsLastSeenTime() {
        DimensionCap before = new DimensionCap(3, HOUR);
        before.admit("v1", 10);
        before.admit("v2", 20);
        before.admit("v3", 30);
        before.admit("v1", 40);
        DimensionCap after = new DimensionCap(3, HOUR);
        after.restore(before.kept());
        assertThat(after.kept()).isEqualTo(Map.of("v1", 40L, "v2", 20L, "v3", 30L));
        assertThat(after.admit("v4", 50)).isEqualTo(DimensionCap.OTHER);
        assertThat(after.admit("v2", 60)).isEqualTo("v2");
        // Idle release goes on from the restored times: v3, seen at 30, is the oldest now.
        assertThat(after.admit("v4", HOUR + 31)).isEqualTo("v4");
        assertThat(after.kept()).containsOnlyKeys("v1", "v2", "v4");
    }

    @Test
    void aRestoreOfSeveralInstancesKeepsTheirUnionAndAdmitsNothingNewBeyondTheCap() {
        Map<String, Long> one = new HashMap<>(Map.of("a", 5L, "b", 9L));
        Map<String, Long> two = new HashMap<>(Map.of("b", 12L, "c", 3L));
        DimensionCap merged = new DimensionCap(2, 0);
        merged.restore(one);
        merged.restore(two);
        assertThat(merged.kept()).isEqualTo(Map.of("a", 5L, "b", 12L, "c", 3L));
        assertThat(merged.admit("d", 20)).isEqualTo(DimensionCap.OTHER);
        assertThat(merged.size()).isEqualTo(3);
    }

    @Test
    void rejectsAnImpossibleCap() {
        assertThatThrownBy(() -> new DimensionCap(0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DimensionCap(1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
