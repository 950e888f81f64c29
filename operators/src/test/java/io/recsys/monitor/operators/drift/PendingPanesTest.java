package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PendingPanesTest {

    @Test
    void keepsOneDeltaPerModelVersionAndPaneUntilDrained() {
        PendingPanes pending = new PendingPanes(1000, PaneSketch.DEFAULT_EXACT_VALUES);
        Random random = new Random(1);
        assertThat(pending.get("v1", 0)).isNull();
        PaneSketch delta = pending.open("v1", 0);
        delta.add(DriftTestEvents.event(random, "v1", 1, 0), null);
        pending.open("v1", 300_000).add(DriftTestEvents.event(random, "v1", 300_001, 0), null);
        pending.open("v2", 0).add(DriftTestEvents.event(random, "v2", 2, 0), null);
        assertThat(pending.get("v1", 0)).isSameAs(delta);
        assertThat(pending.size()).isEqualTo(3);
        assertThatThrownBy(() -> pending.open("v1", 0)).isInstanceOf(IllegalStateException.class);

        Map<Long, PaneSketch> v1 = pending.drain("v1");
        assertThat(v1).containsOnlyKeys(0L, 300_000L);
        assertThat(v1.get(0L)).isSameAs(delta);
        assertThat(pending.get("v1", 0)).isNull();
        assertThat(pending.drain("v1")).isEmpty();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.all()).containsOnlyKeys("v2");
    }

    @Test
    void countsAPaneInStateAndPendingOnce() {
        PendingPanes pending = new PendingPanes(1000, PaneSketch.DEFAULT_EXACT_VALUES);
        assertThat(pending.held("v1", Arrays.asList(0L, 300_000L))).isEqualTo(2);
        pending.open("v1", 300_000);
        pending.open("v1", 600_000);
        pending.open("v2", 900_000);
        // 300 000 is in state with a delta; 600 000 is only a delta; v2's pane is not v1's.
        assertThat(pending.held("v1", Arrays.asList(0L, 300_000L))).isEqualTo(3);
        assertThat(pending.held("v1", Collections.<Long>emptyList())).isEqualTo(2);
        assertThat(pending.held("v3", Collections.<Long>emptyList())).isZero();
    }

    @Test
    void aRestoredDeltaForAPendingPaneMergesIntoIt() {
        PendingPanes pending = new PendingPanes(1000, PaneSketch.DEFAULT_EXACT_VALUES);
        Random random = new Random(2);
        PaneSketch a = new PaneSketch(1000);
        PaneSketch b = new PaneSketch(1000);
        for (int i = 0; i < 3; i++) {
            a.add(DriftTestEvents.event(random, "v1", i, 0), null);
        }
        for (int i = 0; i < 4; i++) {
            b.add(DriftTestEvents.event(random, "v1", i, 0), null);
        }
        pending.restore("v1", 0, a);
        pending.restore("v1", 0, b);
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.get("v1", 0).events()).isEqualTo(7);
        assertThat(
                        pending.get("v1", 0).categoryCounts("device").values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                .isEqualTo(7);
    }
}
