package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.ReferenceUpdate;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link DriftPreAggregation}: panes held until the watermark passes them, late events alone. */
class DriftPreAggregationTest {
    static final long SLIDE = 300_000L;

    private static TwoInputStreamOperatorTestHarness<
                    io.recsys.monitor.model.PredictionEvent, ReferenceUpdate, DriftPanePartial>
            harness(int maxPanes) throws Exception {
        TwoInputStreamOperatorTestHarness<
                        io.recsys.monitor.model.PredictionEvent, ReferenceUpdate, DriftPanePartial>
                h =
                        new TwoInputStreamOperatorTestHarness<>(
                                new DriftPreAggregation(
                                        SLIDE, 1000, PaneSketch.DEFAULT_EXACT_VALUES, maxPanes));
        h.getExecutionConfig().disableGenericTypes();
        h.setup(DriftPanePartial.Serializer.INSTANCE);
        h.open();
        h.processWatermark2(new Watermark(Long.MAX_VALUE));
        return h;
    }

    private static List<String> partials(
            TwoInputStreamOperatorTestHarness<?, ?, DriftPanePartial> h) {
        return h.extractOutputValues().stream()
                .map(p -> p.modelVersion + "@" + p.paneStart + "x" + p.sketch.events())
                .collect(Collectors.toList());
    }

    @Test
    void holdsEachPaneUntilTheWatermarkPassesItsEndThenSendsOnePartialPerModelVersion()
            throws Exception {
        var h = harness(100);
        Random random = new Random(1);
        for (int i = 0; i < 5; i++) {
            h.processElement1(
                    new StreamRecord<>(
                            DriftTestEvents.event(random, "v1", 1000L * i, 0), 1000L * i));
            h.processElement1(
                    new StreamRecord<>(
                            DriftTestEvents.event(random, "v2", 1000L * i, 0), 1000L * i));
        }
        h.processElement1(
                new StreamRecord<>(DriftTestEvents.event(random, "v1", SLIDE + 1, 0), SLIDE + 1));
        h.processWatermark1(new Watermark(SLIDE - 2));
        assertThat(partials(h)).isEmpty();
        h.processWatermark1(new Watermark(SLIDE - 1));
        assertThat(partials(h)).containsExactlyInAnyOrder("v1@0x5", "v2@0x5");
        assertThat(h.extractOutputValues()).allMatch(p -> p.source == 0);
        // Pane 0 has passed the watermark: a late event goes on alone, for the drift operator.
        h.processElement1(new StreamRecord<>(DriftTestEvents.event(random, "v1", 7, 0), 7));
        assertThat(partials(h)).containsExactlyInAnyOrder("v1@0x5", "v2@0x5", "v1@0x1");
        h.close();
    }

    @Test
    void anEventThatWouldOpenOneMorePaneThanTheLimitGoesOnAlone() throws Exception {
        var h = harness(2);
        Random random = new Random(2);
        h.processElement1(new StreamRecord<>(DriftTestEvents.event(random, "v1", 0, 0), 0));
        h.processElement1(new StreamRecord<>(DriftTestEvents.event(random, "v1", SLIDE, 0), SLIDE));
        h.processElement1(
                new StreamRecord<>(DriftTestEvents.event(random, "v1", 2 * SLIDE, 0), 2 * SLIDE));
        assertThat(partials(h)).containsExactly("v1@" + 2 * SLIDE + "x1");
        h.processElement1(
                new StreamRecord<>(DriftTestEvents.event(random, "v1", SLIDE + 1, 0), SLIDE + 1));
        h.processWatermark1(new Watermark(2 * SLIDE - 1));
        assertThat(partials(h))
                .containsExactly("v1@" + 2 * SLIDE + "x1", "v1@0x1", "v1@" + SLIDE + "x2");
        h.close();
    }
}
