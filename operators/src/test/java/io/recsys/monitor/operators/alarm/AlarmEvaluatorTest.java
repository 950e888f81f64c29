package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.Statistic;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The evaluation rules, period by period, without Flink. */
class AlarmEvaluatorTest {
    private static final long HOUR = 3_600_000L;
    private static final long NEVER = Long.MAX_VALUE / 4;

    private static AlarmDefinition lowCtr(int n, int m) {
        return AlarmDefinition.builder("recommendation-low-ctr", "CTR")
                .comparison(Comparison.LESS_THAN)
                .warningThreshold(2.5)
                .criticalThreshold(2.0)
                .periodMillis(HOUR)
                .evaluationPeriods(n)
                .datapointsToAlarm(m)
                .route("ml")
                .description("Click-through rate below its threshold")
                .dimensionSets(Arrays.asList("", "ModelVersion"))
                .build();
    }

    private static MetricPoint point(String metric, Map<String, String> dims, long end, double v) {
        return new MetricPoint("RecommendationSystem", metric, dims, v, "Percent", end - HOUR, end);
    }

    /**
     * Feeds one value per hour (null: no datapoint) and evaluates every hour as the period timer
     * would; returns the alerts that are news (quiet OK/INSUFFICIENT_DATA changes left out).
     */
    private static List<Alert> run(AlarmDefinition def, long repeat, Double... hourly) {
        return run(def, repeat, Collections.emptyMap(), hourly);
    }

    private static List<Alert> run(
            AlarmDefinition def, long repeat, Map<String, String> dims, Double... hourly) {
        AlarmState state = AlarmEvaluator.initialState(def);
        List<Alert> alerts = new ArrayList<>();
        for (int h = 0; h < hourly.length; h++) {
            if (hourly[h] != null) {
                AlarmEvaluator.record(
                        def, state, point(def.metric(), dims, (h + 1) * HOUR, hourly[h]));
            }
            Optional<Alert> a = AlarmEvaluator.evaluate(def, state, h, repeat, dims);
            a.filter(x -> !AlarmEvaluator.isQuiet(x.previousState, x.state)).ifPresent(alerts::add);
        }
        return alerts;
    }

    private static List<Alert> run(AlarmDefinition def, Double... hourly) {
        return run(def, NEVER, hourly);
    }

    private static String states(List<Alert> alerts) {
        StringBuilder sb = new StringBuilder();
        for (Alert a : alerts) {
            sb.append(a.state)
                    .append('/')
                    .append(a.severity)
                    .append('@')
                    .append(a.time / HOUR)
                    .append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void threeConsecutiveCriticalPeriodsRaiseOneCriticalAlert() {
        List<Alert> alerts = run(lowCtr(3, 3), 3.1, 1.9, 1.8, 1.5, 1.2);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.state).isEqualTo("ALARM");
        assertThat(a.previousState).isEqualTo("OK");
        assertThat(a.notification).isEqualTo("raised");
        assertThat(a.severity).isEqualTo("critical");
        assertThat(a.priority).isEqualTo("P2");
        assertThat(a.threshold).isEqualTo(2.0);
        assertThat(a.value).isEqualTo(1.5);
        assertThat(a.recentValues).containsExactly(1.9, 1.8, 1.5);
        assertThat(a.time).isEqualTo(4 * HOUR);
        assertThat(a.route).isEqualTo("ml");
        assertThat(a.deduplicationKey).isEqualTo("recommendation-low-ctr/CTR{}");
        assertThat(a.reason).contains("Average of CTR < 2.0 in 3 of the last 3 periods of 3600 s");
    }

    @Test
    void twoBreachingPeriodsAreNotEnough() {
        assertThat(run(lowCtr(3, 3), 1.9, 1.8, 2.6, 1.9, 1.8)).isEmpty();
    }

    @Test
    void warningThenCriticalThenResolvedAlertOnChangesOnly() {
        List<Alert> alerts = run(lowCtr(3, 3), 2.4, 2.3, 2.2, 1.9, 1.9, 1.9, 3.0, 3.0, 3.0);
        // Hysteresis: resolved after ok-periods (= N = 3) good hours, at 9:00; the first good
        // hour (7:00) leaves only 2 of 3 breaching, which resolved before ok-periods existed.
        assertThat(states(alerts)).isEqualTo("ALARM/warning@3 ALARM/critical@6 OK/critical@9");
        assertThat(alerts)
                .extracting(a -> a.notification)
                .containsExactly("raised", "escalated", "resolved");
        assertThat(alerts.get(2).reason).startsWith("Resolved");
        assertThat(alerts.get(2).previousState).isEqualTo("ALARM");
    }

    @Test
    void mOfN() {
        // 3 of 5: breaches in hours 1, 3 and 5.
        List<Alert> alerts = run(lowCtr(5, 3), 1.0, 3.0, 1.0, 3.0, 1.0);
        assertThat(states(alerts)).isEqualTo("ALARM/critical@5");
        // ... and 2 of 5 never does.
        assertThat(run(lowCtr(5, 3), 1.0, 3.0, 3.0, 3.0, 1.0, 3.0)).isEmpty();
    }

    @Test
    void aSteadyAlarmDoesNotRepeatWithoutARepeatInterval() {
        assertThat(run(lowCtr(3, 3), 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)).hasSize(1);
    }

    @Test
    void aStillFiringCriticalAlarmRepeatsAfterTheInterval() {
        // Raised at hour 3; repeat interval 2 h: repeats at hours 5 and 7.
        List<Alert> alerts = run(lowCtr(3, 3), 2 * HOUR, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        assertThat(alerts)
                .extracting(a -> a.notification + "@" + a.time / HOUR)
                .containsExactly("raised@3", "repeat@5", "repeat@7");
        // A warning that holds does not repeat.
        assertThat(run(lowCtr(3, 3), 2 * HOUR, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2)).hasSize(1);
    }

    /**
     * Each missing-data mode over N = 3, M = 2 (threshold: CTR < 2.0 critical only). Windows
     * written oldest first, B = breaching, G = good, '-' = no data. Expected states follow the
     * definitions of the CloudWatch User Guide ("Configuring how CloudWatch alarms treat missing
     * data"): missing and ignore leave missing periods out, notBreaching counts them as good,
     * breaching as bad; with no data at all: INSUFFICIENT_DATA, state kept, ALARM, OK. Leaving
     * ALARM also needs ok-periods (= N = 3) good periods (AlarmHysteresis): notBreaching -B- and
     * missing G-- stay in ALARM, where CloudWatch (no hysteresis) would go to OK.
     */
    @ParameterizedTest(name = "{0} window {1} -> {2}")
    @CsvSource({
        "missing,      ---, INSUFFICIENT_DATA",
        "ignore,       ---, ALARM",
        "breaching,    ---, ALARM",
        "notBreaching, ---, OK",
        "missing,      B-B, ALARM",
        "ignore,       B-B, ALARM",
        "breaching,    B-B, ALARM",
        "notBreaching, B-B, ALARM",
        "missing,      -B-, ALARM",
        "ignore,       -B-, ALARM",
        "breaching,    -B-, ALARM",
        "notBreaching, -B-, ALARM",
        "missing,      G--, ALARM",
        "breaching,    G--, ALARM",
        "notBreaching, G--, OK",
    })
    void missingDataModes(String mode, String window, String expected) {
        AlarmDefinition def =
                AlarmDefinition.builder("x", "CTR")
                        .comparison(Comparison.LESS_THAN)
                        .criticalThreshold(2.0)
                        .periodMillis(HOUR)
                        .evaluationPeriods(3)
                        .datapointsToAlarm(2)
                        .treatMissingData(TreatMissingData.parse(mode))
                        .build();
        AlarmState state = AlarmEvaluator.initialState(def);
        // Hours 0-2 breach, which puts the alarm in ALARM before the window under test.
        for (int h = 0; h < 3; h++) {
            AlarmEvaluator.record(def, state, point("CTR", Map.of(), (h + 1) * HOUR, 1.0));
            AlarmEvaluator.evaluate(def, state, h, NEVER, Map.of());
        }
        assertThat(state.state).isEqualTo("ALARM");
        for (int i = 0; i < 3; i++) {
            char c = window.charAt(i);
            long h = 3 + i;
            if (c != '-') {
                AlarmEvaluator.record(
                        def, state, point("CTR", Map.of(), (h + 1) * HOUR, c == 'B' ? 1.0 : 3.0));
            }
            AlarmEvaluator.evaluate(def, state, h, NEVER, Map.of());
        }
        assertThat(state.state).isEqualTo(expected);
    }

    @Test
    void missingPeriodsBreakARunUnderTheDefaultTreatment() {
        assertThat(run(lowCtr(3, 3), 1.0, 1.0, null, 1.0)).isEmpty();
        assertThat(states(run(lowCtr(3, 3), 1.0, 1.0, null, 1.0, 1.0, 1.0)))
                .isEqualTo("ALARM/critical@6");
    }

    @Test
    void periodValueIsTheStatisticOfItsDatapoints() {
        // FeatureDrift every 5 minutes: 12 points in an hour; Average of 0.1 x 6 and 0.35 x 6 =
        // 0.225.
        AlarmDefinition avg =
                AlarmDefinition.builder("drift", "FeatureDrift")
                        .comparison(Comparison.GREATER_THAN)
                        .warningThreshold(0.2)
                        .criticalThreshold(0.3)
                        .periodMillis(HOUR)
                        .build();
        AlarmState state = AlarmEvaluator.initialState(avg);
        for (int i = 1; i <= 12; i++) {
            MetricPoint p =
                    point(
                            "FeatureDrift",
                            Map.of("ModelVersion", "v1"),
                            i * 300_000L,
                            i <= 6 ? 0.1 : 0.35);
            AlarmEvaluator.record(avg, state, p);
        }
        assertThat(AlarmEvaluator.periodValue(avg, state, 0)).isCloseTo(0.225, within(1e-12));
        Alert a =
                AlarmEvaluator.evaluate(avg, state, 0, NEVER, Map.of("ModelVersion", "v1"))
                        .orElseThrow();
        assertThat(a.severity).isEqualTo("warning");
        assertThat(a.modelVersion).isEqualTo("v1");

        AlarmDefinition max = avg.toBuilder().statistic(Statistic.MAXIMUM).build();
        AlarmState s2 = AlarmEvaluator.initialState(max);
        for (int i = 1; i <= 12; i++) {
            AlarmEvaluator.record(
                    max, s2, point("FeatureDrift", Map.of(), i * 300_000L, i == 7 ? 0.9 : 0.1));
        }
        assertThat(AlarmEvaluator.periodValue(max, s2, 0)).isEqualTo(0.9);
        AlarmDefinition sum = avg.toBuilder().statistic(Statistic.SUM).build();
        AlarmState s3 = AlarmEvaluator.initialState(sum);
        for (int i = 1; i <= 12; i++) {
            AlarmEvaluator.record(sum, s3, point("FeatureDrift", Map.of(), i * 300_000L, 2.0));
        }
        assertThat(AlarmEvaluator.periodValue(sum, s3, 0)).isEqualTo(24.0);
    }

    @Test
    void relativeThresholdComparesWithTheTrailingMeanBeforeTheWindow() {
        // Baseline 24 h, N = 3, M = 2; warning < -20 %, critical < -50 %.
        AlarmDefinition drop =
                AlarmDefinition.builder("ctr-drop", "CTR")
                        .comparison(Comparison.LESS_THAN)
                        .warningThreshold(-20)
                        .criticalThreshold(-50)
                        .periodMillis(HOUR)
                        .evaluationPeriods(3)
                        .datapointsToAlarm(2)
                        .baselineMillis(24 * HOUR)
                        .build();
        Double[] values = new Double[31];
        for (int h = 0; h < 24; h++) {
            // Mean 3.0: alternating 2.8 and 3.2.
            values[h] = h % 2 == 0 ? 2.8 : 3.2;
        }
        values[24] = 2.3; // (2.3 - 3.0) / 3.0 = -23.3 %: warning
        values[25] = 2.3;
        values[26] = 1.4; // -53.3 %: critical
        values[27] = 1.4;
        values[28] = 3.0;
        values[29] = 3.0;
        values[30] = 3.0;
        List<Alert> alerts = run(drop, values);
        // Resolved after ok-periods (= N = 3) good hours (28, 29, 30), not at the first window
        // with fewer than 2 of 3 breaching (ending 30:00), as before hysteresis.
        assertThat(states(alerts)).isEqualTo("ALARM/warning@26 ALARM/critical@28 OK/critical@31");
        // Warning window: periods 23..25, baseline periods 0..22 = 12 x 2.8 + 11 x 3.2 = 68.8 / 23.
        double warningBaseline = 68.8 / 23;
        assertThat(alerts.get(0).recentValues[2])
                .isCloseTo((2.3 - warningBaseline) / warningBaseline * 100, within(1e-9));
        // The critical window is hours 25..27 (periods 25, 26, 27); its baseline is periods 1..24:
        // periods 1..23 alternate 3.2 (12 odd) and 2.8 (11 even) = 69.2, plus 2.3 = 71.5 over 24.
        double baseline = 71.5 / 24;
        assertThat(alerts.get(1).recentValues[2])
                .isCloseTo((1.4 - baseline) / baseline * 100, within(1e-9));
    }

    @Test
    void relativeThresholdWithoutEnoughBaselineIsMissingData() {
        AlarmDefinition drop =
                AlarmDefinition.builder("ctr-drop", "CTR")
                        .comparison(Comparison.LESS_THAN)
                        .warningThreshold(-20)
                        .periodMillis(HOUR)
                        .evaluationPeriods(1)
                        .baselineMillis(24 * HOUR)
                        .build();
        // Default minimum: 12 of 24 baseline periods. 5 good hours then a collapse: no alert.
        assertThat(run(drop, 3.0, 3.0, 3.0, 3.0, 3.0, 0.1)).isEmpty();
    }

    @Test
    void rollbackOnlyWhenTheBreachBeginsWithTheModelVersion() {
        AlarmDefinition def = lowCtr(3, 3).toBuilder().action("rollback_model").build();
        Map<String, String> v3 = Map.of("ModelVersion", "v3");
        // v3 is bad from its first hour: a rollback would help.
        Alert fresh = run(def, NEVER, v3, 1.0, 1.0, 1.0).get(0);
        assertThat(fresh.action).isEqualTo("rollback_model");
        // v3 was fine for 5 hours, then went bad: not the deployment.
        Alert aged = run(def, NEVER, v3, 3.0, 3.0, 3.0, 3.0, 3.0, 1.0, 1.0, 1.0).get(0);
        assertThat(aged.action).isEqualTo("none");
        // The overall series has no model version to roll back.
        assertThat(run(def, 1.0, 1.0, 1.0).get(0).action).isEqualTo("none");
    }

    @Test
    void actionSeverityHoldsTheActionBackAtWarning() {
        AlarmDefinition shift =
                AlarmDefinition.builder("mean-shift", "PredictionMeanShift")
                        .comparison(Comparison.GREATER_THAN)
                        .warningThreshold(2)
                        .criticalThreshold(3)
                        .periodMillis(HOUR)
                        .action("trigger_retraining")
                        .actionSeverity("critical")
                        .kind("model-drift")
                        .build();
        List<Alert> alerts = run(shift, 2.5, 3.5);
        assertThat(alerts)
                .extracting(a -> a.severity + ":" + a.action)
                .containsExactly("warning:none", "critical:trigger_retraining");
        assertThat(alerts.get(1).runbook).isNotEmpty();
        assertThat(alerts.get(1).kind).isEqualTo("model-drift");
    }

    @Test
    void aPointOfAnEvaluatedPeriodIsIgnored() {
        AlarmDefinition def = lowCtr(3, 3);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.record(def, state, point("CTR", Map.of(), HOUR, 1.0));
        AlarmEvaluator.evaluate(def, state, 0, NEVER, Map.of());
        assertThat(AlarmEvaluator.record(def, state, point("CTR", Map.of(), HOUR, 9.0))).isFalse();
        assertThat(AlarmEvaluator.periodValue(def, state, 0)).isEqualTo(1.0);
    }

    @Test
    void aCorrectedWindowReplacesItsDatapointInsteadOfAddingOne() {
        AlarmDefinition def = lowCtr(3, 2);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.record(def, state, point("CTR", Map.of(), HOUR, 1.0));
        // Late data corrected the window: the same timestamp, a new value.
        AlarmEvaluator.record(def, state, point("CTR", Map.of(), HOUR, 3.0));
        AlarmEvaluator.record(def, state, point("CTR", Map.of(), HOUR, 3.5));

        assertThat(AlarmEvaluator.periodValue(def, state, 0)).isEqualTo(3.5);
        // The corrected value decides: not breaching (3.5 >= 2.5), where the sum of the three
        // datapoints' average (2.5) or the first value (1.0) would have breached.
        Optional<Alert> alert = AlarmEvaluator.evaluate(def, state, 0, NEVER, Map.of());
        assertThat(state.state).isNotEqualTo("ALARM");
        assertThat(alert.map(a -> a.state)).isNotEqualTo(Optional.of("ALARM"));

        // Another window of the same period still adds a datapoint.
        AlarmDefinition twoHours =
                AlarmDefinition.builder("x", "CTR")
                        .comparison(Comparison.LESS_THAN)
                        .criticalThreshold(2.0)
                        .periodMillis(2 * HOUR)
                        .evaluationPeriods(1)
                        .datapointsToAlarm(1)
                        .build();
        AlarmState both = AlarmEvaluator.initialState(twoHours);
        AlarmEvaluator.record(twoHours, both, point("CTR", Map.of(), HOUR, 1.0));
        AlarmEvaluator.record(twoHours, both, point("CTR", Map.of(), 2 * HOUR, 3.0));
        AlarmEvaluator.record(twoHours, both, point("CTR", Map.of(), 2 * HOUR, 5.0));
        assertThat(AlarmEvaluator.periodValue(twoHours, both, 0)).isEqualTo(3.0);
    }
}
