package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A window judged unit by unit (each feature and the scores apart, as the stage keyed by model
 * version and feature does) and combined gives the very reports and metric points of the window
 * judged whole, when every pane is divided after it was sketched and each unit's parts merge in the
 * same source order. The panes are small enough to be sampled and to fold categories into {@value
 * PaneSketch#OTHER}, both of which depend on merge order.
 */
class DriftUnitsTest {
    private static final long MINUTE = 60_000L;
    private static final long SLIDE = 5 * MINUTE;
    private static final long WINDOW = 60 * MINUTE;
    private static final int SOURCES = 3;
    private static final int MAX_CATEGORIES = 2;
    private static final int EXACT_VALUES = 50;

    private static final WindowDriftEvaluator EVALUATOR =
            new WindowDriftEvaluator(DriftRules.defaults(), "NS", SLIDE);

    /** A source subtask's part of a pane, the same every time it is asked for. */
    private static PaneSketch part(long pane, int source, ModelProfile profile) {
        Random random = new Random(pane * 31 + source);
        PaneSketch sketch = new PaneSketch(MAX_CATEGORIES, EXACT_VALUES);
        // The last half hour drifts; a source skips a pane now and then.
        double shift = pane >= 30 * MINUTE ? 12 : 0;
        int events = (pane / SLIDE + source) % 5 == 0 ? 0 : 30 + random.nextInt(30);
        for (int i = 0; i < events; i++) {
            sketch.add(
                    DriftTestEvents.event(random, "v1", pane + random.nextInt((int) SLIDE), shift),
                    // The first panes came before the reference: every feature by its JSON type.
                    pane < 10 * MINUTE ? null : profile);
        }
        return sketch;
    }

    /** The parts of a pane merged in source order, as the drift operator writes a pane. */
    private static PaneSketch merged(List<PaneSketch> parts) {
        PaneSketch pane = null;
        for (PaneSketch p : parts) {
            if (pane == null) {
                pane = p;
            } else {
                pane.merge(p);
            }
        }
        return pane;
    }

    private static WindowDriftPart judge(
            TreeMap<Long, PaneSketch> panes, ModelProfile profile, long end) {
        PaneSketch window = new PaneSketch(MAX_CATEGORIES, Integer.MAX_VALUE);
        panes.values().forEach(window::merge);
        List<WindowDriftEvaluator.RecentWindow> recent = new ArrayList<>();
        for (long length : new long[] {15 * MINUTE, 30 * MINUTE}) {
            PaneSketch last = new PaneSketch(MAX_CATEGORIES, Integer.MAX_VALUE);
            panes.tailMap(end - length).values().forEach(last::merge);
            recent.add(new WindowDriftEvaluator.RecentWindow(length, last));
        }
        return EVALUATOR.evaluatePart("v1", end - WINDOW, end, window, recent, profile, "ref-a");
    }

    @Test
    void aWindowJudgedUnitByUnitAndCombinedIsTheWindowJudgedWhole() {
        ReferenceProfile reference = DriftTestEvents.reference("ref-a", 2_000, 3);
        ModelProfile profile =
                ReferenceProfileJson.read(ReferenceProfileJson.write(reference)).profileFor("v1");

        TreeMap<Long, PaneSketch> whole = new TreeMap<>();
        Map<String, TreeMap<Long, PaneSketch>> byUnit = new TreeMap<>();
        for (long pane = 0; pane < WINDOW; pane += SLIDE) {
            List<PaneSketch> parts = new ArrayList<>();
            Map<String, List<PaneSketch>> unitParts = new TreeMap<>();
            for (int source = 0; source < SOURCES; source++) {
                PaneSketch p = part(pane, source, profile);
                if (p.isEmpty()) {
                    continue; // A source sends no partial for a pane it had no events of.
                }
                parts.add(p);
                for (Map.Entry<String, PaneSketch> unit :
                        part(pane, source, profile).splitIntoUnits().entrySet()) {
                    unitParts
                            .computeIfAbsent(unit.getKey(), u -> new ArrayList<>())
                            .add(unit.getValue());
                }
            }
            whole.put(pane, merged(parts));
            for (Map.Entry<String, List<PaneSketch>> unit : unitParts.entrySet()) {
                byUnit.computeIfAbsent(unit.getKey(), u -> new TreeMap<>())
                        .put(pane, merged(unit.getValue()));
            }
        }
        assertThat(byUnit.keySet())
                .contains(
                        DriftUnit.MODEL, DriftUnit.numeric("age"), DriftUnit.categorical("device"));

        WindowDriftEvaluator.Outcome expected =
                EVALUATOR.combine(List.of(judge(whole, profile, WINDOW)));
        List<WindowDriftPart> parts = new ArrayList<>();
        for (TreeMap<Long, PaneSketch> panes : byUnit.values()) {
            WindowDriftPart part = judge(panes, profile, WINDOW);
            if (!part.isEmpty()) {
                // Through the wire form, as between the operators.
                parts.add(WindowDriftPart.Serializer.INSTANCE.copy(part));
            }
        }
        // The combining stage receives the parts in any order.
        Collections.reverse(parts);
        WindowDriftEvaluator.Outcome actual = EVALUATOR.combine(parts);

        assertThat(expected.reports)
                .extracting(r -> r.feature)
                .containsExactly("age", "device", DriftReport.MODEL, DriftReport.PREDICTION);
        assertThat(expected.reports).filteredOn(r -> r.drifted).isNotEmpty();
        assertThat(whole.get(30 * MINUTE).categoryCounts("device")).containsKey(PaneSketch.OTHER);
        // Every field, bit for bit (equals compares doubles exactly).
        assertThat(actual.reports).isEqualTo(expected.reports);
        assertThat(actual.metrics).isEqualTo(expected.metrics);
    }
}
