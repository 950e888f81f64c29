package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.ReferenceUpdate;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The pane timers of {@link RollingDriftFunction} as events keep coming into open panes: the event
 * that opens a pane registers its timer, later events of the pane register none while it is
 * pending, and an event into a pane whose own boundary has passed joins the next boundary.
 */
class RollingDriftTimersTest {
    private static final long MINUTE = RollingDriftFunctionTest.MINUTE;
    private static final long SLIDE = RollingDriftFunctionTest.SLIDE;
    private static final long WINDOW = RollingDriftFunctionTest.WINDOW;

    private static List<String> windows(
            KeyedBroadcastOperatorTestHarness<
                            String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                    h) {
        return DriftTestEvents.reports(h.extractOutputValues()).stream()
                .map(r -> r.modelVersion + "@" + r.windowEnd / MINUTE + ":" + r.nCurrent)
                .collect(Collectors.toList());
    }

    @Test
    void oneTimerPerOpenPaneWhateverItsEvents() throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
                h = RollingDriftFunctionTest.harness();
        Random random = new Random(4);
        h.processBroadcastWatermark(Long.MAX_VALUE);
        for (int i = 0; i < 5; i++) {
            long t = MINUTE + i;
            h.processElement(DriftTestEvents.single(DriftTestEvents.event(random, "v1", t, 0)), t);
        }
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(SLIDE - 1);
        assertThat(windows(h)).containsExactly("v1@5:5");
        // Pane 0 is still in eleven windows; the next boundary's timer is pending.
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            long t = 2 * MINUTE + i;
            h.processElement(DriftTestEvents.single(DriftTestEvents.event(random, "v1", t, 0)), t);
        }
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(2 * SLIDE - 1);
        assertThat(windows(h)).containsExactly("v1@5:5", "v1@10:8");

        // A model version whose first pane opens after that pane's boundary: the next boundary.
        h.processElement(
                DriftTestEvents.single(DriftTestEvents.event(random, "v2", 3 * MINUTE, 0)),
                3 * MINUTE);
        h.processElement(
                DriftTestEvents.single(DriftTestEvents.event(random, "v2", 4 * MINUTE, 0)),
                4 * MINUTE);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        h.processWatermark(3 * SLIDE - 1);
        assertThat(windows(h)).containsExactly("v1@5:5", "v1@10:8", "v1@15:8", "v2@15:2");

        // Events into a pane still ahead of the watermark, then the boundaries up to its end.
        for (int i = 0; i < 4; i++) {
            long t = 4 * SLIDE + MINUTE + i;
            h.processElement(DriftTestEvents.single(DriftTestEvents.event(random, "v2", t, 0)), t);
        }
        h.processWatermark(5 * SLIDE - 1);
        assertThat(windows(h))
                .containsExactly(
                        "v1@5:5", "v1@10:8", "v1@15:8", "v2@15:2", "v1@20:8", "v2@20:2", "v1@25:8",
                        "v2@25:6");
        h.close();
    }
}
