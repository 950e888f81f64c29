package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.operators.reference.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drift decided on the most recent panes as well as on the full window: an hour of 12 five-minute
 * panes whose last three carry a 0.3 sd shift of {@code age} (and a new device mix). The full hour
 * alone does not reach the per-test alpha; its last 15 minutes do, and the reports say so, while
 * every number and metric point still describes the full hour.
 */
class RecentWindowDecisionTest {
    private static final long PANE = 300_000L;
    private static final long HOUR = 12 * PANE;
    private static final int PANE_EVENTS = 300;

    private final ModelProfile profile =
            DriftTestEvents.reference("ref-1", 20_000, 11L).models.get("v1");
    private final WindowDriftEvaluator evaluator =
            new WindowDriftEvaluator(DriftRules.defaults(), "Test", PANE);

    @Test
    void aShiftOfTheLastFifteenMinutesIsFlaggedByTheFifteenMinuteWindow() {
        List<PaneSketch> panes = panes(3, 3.0);

        WindowDriftEvaluator.Outcome fullOnly =
                evaluator.evaluate("v1", 0L, HOUR, merge(panes, 12), profile, "ref-1");
        WindowDriftEvaluator.Outcome withRecent = evaluateWithRecent(panes);

        DriftReport hourAge = report(fullOnly, "age");
        DriftReport age = report(withRecent, "age");
        assertThat(hourAge.drifted).as(hourAge.toString()).isFalse();
        assertThat(hourAge.flaggedByMinutes).isZero();
        assertThat(age.drifted).isTrue();
        assertThat(age.flaggedByMinutes).isEqualTo(15);
        DriftReport model = report(withRecent, DriftReport.MODEL);
        assertThat(model.drifted).isTrue();
        assertThat(model.flaggedByMinutes).isEqualTo(15);
        assertThat(model.test).isEqualTo(DriftReport.FALSE_ALARM_BUDGET);
        // The numbers are the full hour's either way: only the decision looked at recent panes.
        assertThat(age.statistic).isEqualTo(hourAge.statistic);
        assertThat(age.pValue).isEqualTo(hourAge.pValue);
        assertThat(age.nCurrent).isEqualTo(12L * PANE_EVENTS);
        assertThat(values(withRecent.metrics)).isEqualTo(values(fullOnly.metrics));
    }

    @Test
    void cleanPanesLeaveEveryFlagDown() {
        WindowDriftEvaluator.Outcome outcome = evaluateWithRecent(panes(0, 0.0));

        assertThat(outcome.reports).isNotEmpty().noneMatch(r -> r.drifted);
        assertThat(outcome.reports).allMatch(r -> r.flaggedByMinutes == 0);
    }

    private WindowDriftEvaluator.Outcome evaluateWithRecent(List<PaneSketch> panes) {
        List<WindowDriftEvaluator.RecentWindow> recent =
                List.of(
                        new WindowDriftEvaluator.RecentWindow(6 * PANE, merge(panes, 6)),
                        new WindowDriftEvaluator.RecentWindow(3 * PANE, merge(panes, 3)));
        return evaluator.evaluate("v1", 0L, HOUR, merge(panes, 12), recent, profile, "ref-1");
    }

    /** Twelve panes, the last {@code shifted} of them with {@code age} moved by {@code by}. */
    private List<PaneSketch> panes(int shifted, double by) {
        Random random = new Random(31L);
        List<PaneSketch> panes = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            PaneSketch pane = new PaneSketch(100);
            double shift = p >= 12 - shifted ? by : 0.0;
            for (int i = 0; i < PANE_EVENTS; i++) {
                pane.add(DriftTestEvents.event(random, "v1", p * PANE + i, shift), profile);
            }
            panes.add(pane);
        }
        return panes;
    }

    /** The last {@code count} panes merged in time order, as the drift function does. */
    private static PaneSketch merge(List<PaneSketch> panes, int count) {
        PaneSketch window = new PaneSketch(100, Integer.MAX_VALUE);
        for (PaneSketch pane : panes.subList(panes.size() - count, panes.size())) {
            window.merge(pane);
        }
        return window;
    }

    private static List<String> values(List<MetricPoint> metrics) {
        List<String> values = new ArrayList<>();
        for (MetricPoint m : metrics) {
            values.add(m.metric + "=" + m.value);
        }
        return values;
    }

    private static DriftReport report(WindowDriftEvaluator.Outcome outcome, String feature) {
        return outcome.reports.stream()
                .filter(r -> r.feature.equals(feature))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no report on " + feature));
    }
}
