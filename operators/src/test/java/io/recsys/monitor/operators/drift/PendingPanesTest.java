package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PendingPanesTest {

    private static PaneSketch pane(Random random, String model, int events, int maxCategories) {
        PaneSketch pane = new PaneSketch(maxCategories);
        for (int i = 0; i < events; i++) {
            pane.add(DriftTestEvents.event(random, model, i, 0), null);
        }
        return pane;
    }

    @Test
    void keepsOneDeltaPerModelVersionAndPaneUntilDrained() {
        PendingPanes pending = new PendingPanes();
        Random random = new Random(1);
        assertThat(pending.has("v1", 0)).isFalse();
        pending.add("v1", 0, 1, pane(random, "v1", 2, 1000));
        pending.add("v1", 0, 0, pane(random, "v1", 3, 1000));
        pending.add("v1", 300_000, 0, pane(random, "v1", 1, 1000));
        pending.add("v2", 0, 0, pane(random, "v2", 1, 1000));
        assertThat(pending.has("v1", 0)).isTrue();
        assertThat(pending.size()).isEqualTo(3);

        Map<Long, PaneSketch> v1 = pending.drain("v1");
        assertThat(v1).containsOnlyKeys(0L, 300_000L);
        assertThat(v1.get(0L).events()).isEqualTo(5);
        assertThat(pending.has("v1", 0)).isFalse();
        assertThat(pending.drain("v1")).isEmpty();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.all()).containsOnlyKeys("v2");
    }

    @Test
    void countsAPaneInStateAndPendingOnce() {
        PendingPanes pending = new PendingPanes();
        Random random = new Random(3);
        assertThat(pending.held("v1", Arrays.asList(0L, 300_000L))).isEqualTo(2);
        pending.add("v1", 300_000, 0, pane(random, "v1", 1, 1000));
        pending.add("v1", 600_000, 0, pane(random, "v1", 1, 1000));
        pending.add("v2", 900_000, 0, pane(random, "v2", 1, 1000));
        // 300 000 is in state with a delta; 600 000 is only a delta; v2's pane is not v1's.
        assertThat(pending.held("v1", Arrays.asList(0L, 300_000L))).isEqualTo(3);
        assertThat(pending.held("v1", Collections.<Long>emptyList())).isEqualTo(2);
        assertThat(pending.held("v3", Collections.<Long>emptyList())).isZero();
    }

    @Test
    void aRestoredPartOfAPendingSourceMergesIntoIt() {
        PendingPanes pending = new PendingPanes();
        Random random = new Random(2);
        pending.restore("v1", 0, PendingPanes.MERGED_SOURCES, pane(random, "v1", 3, 1000));
        pending.restore("v1", 0, PendingPanes.MERGED_SOURCES, pane(random, "v1", 4, 1000));
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.all().get("v1").get(0L)).containsOnlyKeys(PendingPanes.MERGED_SOURCES);
        PaneSketch delta = pending.drain("v1").get(0L);
        assertThat(delta.events()).isEqualTo(7);
        assertThat(
                        delta.categoryCounts("device").values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                .isEqualTo(7);
    }

    /**
     * Two categories fit; the third folds into {@code __other__}. Which one folds depends on the
     * order the parts merge in, so the delta must not depend on the order they arrived in.
     */
    @Test
    void partsMergeInSourceOrderWhateverTheirArrival() {
        List<String> arrivals = new ArrayList<>();
        for (int[] order : new int[][] {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}) {
            PendingPanes pending = new PendingPanes();
            for (int source : order) {
                PaneSketch part = new PaneSketch(2);
                Random random = new Random(source);
                for (int i = 0; i < 5; i++) {
                    var e = DriftTestEvents.event(random, "v1", i, 0);
                    e.categoricalFeatures.put("device", DriftTestEvents.DEVICES[source]);
                    part.add(e, null);
                }
                pending.add("v1", 0, source, part);
            }
            arrivals.add(String.valueOf(pending.drain("v1").get(0L).categoryCounts("device")));
        }
        assertThat(arrivals).containsOnly(arrivals.get(0));
        assertThat(arrivals.get(0)).contains(PaneSketch.OTHER + "=5").contains("mobile=5");
    }
}
