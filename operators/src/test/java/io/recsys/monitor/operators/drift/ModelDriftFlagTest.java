package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.reference.ModelProfile;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model-level flag counts prediction drift as the guide does: a window whose features are as in
 * the reference but whose top scores moved by 2.5 reference standard deviations is drifted at model
 * level, and the same window with clean scores is not. The events' scores are N(0.7, 0.1) ({@link
 * DriftTestEvents}), so 2.5 sd is +0.25.
 */
class ModelDriftFlagTest {
    private static final double SCORE_SD = 0.1;
    private static final int WINDOW_EVENTS = 2_000;

    private final ModelProfile profile =
            DriftTestEvents.reference("ref-1", 20_000, 11L).models.get("v1");

    @Test
    void scoresShiftedByTwoAndAHalfSdSetTheModelFlagWithUnchangedFeatures() {
        WindowDriftEvaluator.Outcome outcome =
                evaluate(DriftRules.defaults(), window(2.5 * SCORE_SD));

        assertThat(report(outcome, "age").drifted).isFalse();
        assertThat(report(outcome, "device").drifted).isFalse();
        DriftReport prediction = report(outcome, DriftReport.PREDICTION);
        assertThat(prediction.effectSize).isBetween(2.3, 2.7);
        assertThat(prediction.drifted).isTrue();
        DriftReport model = report(outcome, DriftReport.MODEL);
        // No feature is a discovery: the flag comes from the predictions alone.
        assertThat(model.statistic).isZero();
        assertThat(model.drifted).isTrue();
    }

    @Test
    void cleanScoresAndFeaturesLeaveTheModelFlagDown() {
        WindowDriftEvaluator.Outcome outcome = evaluate(DriftRules.defaults(), window(0.0));

        assertThat(report(outcome, DriftReport.PREDICTION).drifted).isFalse();
        assertThat(report(outcome, DriftReport.MODEL).drifted).isFalse();
    }

    @Test
    void aMeanShiftAboveTwoSdCountsEvenWhenTheKsPartCannot() {
        // A distance floor of 1 makes the KS part of the rule unreachable: only the guide's
        // "mean shift > 2" is left, which 2.5 sd passes and 1.5 sd does not.
        DriftRules ksNeverCounts = new DriftRules(0.05, 1.0, 2.0, 3.0, 0.01, 1.0);

        WindowDriftEvaluator.Outcome shifted = evaluate(ksNeverCounts, window(2.5 * SCORE_SD));
        WindowDriftEvaluator.Outcome smaller = evaluate(ksNeverCounts, window(1.5 * SCORE_SD));

        assertThat(report(shifted, DriftReport.PREDICTION).drifted).isTrue();
        assertThat(report(shifted, DriftReport.MODEL).drifted).isTrue();
        assertThat(report(smaller, DriftReport.PREDICTION).drifted).isFalse();
        assertThat(report(smaller, DriftReport.MODEL).drifted).isFalse();
    }

    private WindowDriftEvaluator.Outcome evaluate(DriftRules rules, PaneSketch window) {
        return new WindowDriftEvaluator(rules, "Test")
                .evaluate("v1", 0L, 3_600_000L, window, profile, "ref-1");
    }

    /** Clean features from another seed than the reference's, top scores moved by {@code by}. */
    private PaneSketch window(double by) {
        Random random = new Random(29L);
        PaneSketch window = new PaneSketch(100);
        for (int i = 0; i < WINDOW_EVENTS; i++) {
            PredictionEvent event = DriftTestEvents.event(random, "v1", i, 0.0);
            event.recommendations.get(0).score += by;
            window.add(event, profile);
        }
        return window;
    }

    private static DriftReport report(WindowDriftEvaluator.Outcome outcome, String feature) {
        return outcome.reports.stream()
                .filter(r -> r.feature.equals(feature))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no report on " + feature));
    }
}
