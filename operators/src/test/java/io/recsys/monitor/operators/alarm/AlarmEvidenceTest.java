package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.LowSamplePercentiles;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The evidence rules period by period: low-sample percentiles, Wilson and t intervals against
 * absolute and relative thresholds, pooling of datapoints, and the state kept when the evidence
 * says nothing. Every interval quoted in a comment was computed by hand from the closed form.
 */
class AlarmEvidenceTest {
    private static final long MINUTE = 60_000L;
    private static final long NEVER = Long.MAX_VALUE / 4;

    /** One period's datapoint: value, samples (0: none) and std dev (NaN: none). */
    private static final class Datum {
        final double value;
        final long samples;
        final double sd;

        Datum(double value, long samples, double sd) {
            this.value = value;
            this.samples = samples;
            this.sd = sd;
        }
    }

    private static Datum d(double value, long samples) {
        return new Datum(value, samples, Double.NaN);
    }

    private static Datum d(double value, long samples, double sd) {
        return new Datum(value, samples, sd);
    }

    private static AlarmDefinition.Builder alarm(String metric, Comparison c, double w, double k) {
        return AlarmDefinition.builder("a", metric)
                .comparison(c)
                .warningThreshold(w)
                .criticalThreshold(k)
                .periodMillis(MINUTE)
                .evaluationPeriods(1);
    }

    private static AlarmDefinition p99() {
        return alarm(MetricNames.LATENCY_P99, Comparison.GREATER_THAN, 800, 1000).build();
    }

    private static AlarmDefinition lowCtr(int n) {
        return alarm(MetricNames.CTR, Comparison.LESS_THAN, 2.5, 2.0).evaluationPeriods(n).build();
    }

    private static MetricPoint point(String metric, long end, Datum x) {
        return new MetricPoint("ns", metric, Collections.emptyMap(), x.value, "None", end - 1, end)
                .withEvidence(x.samples, x.sd);
    }

    /**
     * One datum per period (null: none), evaluated at each period end; the alerts that are news.
     */
    private static List<Alert> run(AlarmDefinition def, Datum... periods) {
        AlarmState state = AlarmEvaluator.initialState(def);
        List<Alert> alerts = new ArrayList<>();
        for (int q = 0; q < periods.length; q++) {
            if (periods[q] != null) {
                AlarmEvaluator.record(
                        def, state, point(def.metric(), (q + 1) * def.periodMillis(), periods[q]));
            }
            Optional<Alert> a =
                    AlarmEvaluator.evaluate(def, state, q, NEVER, Collections.emptyMap());
            a.filter(x -> !AlarmEvaluator.isQuiet(x.previousState, x.state)).ifPresent(alerts::add);
        }
        return alerts;
    }

    private static String states(List<Alert> alerts) {
        StringBuilder sb = new StringBuilder();
        for (Alert a : alerts) {
            sb.append(a.state).append('/').append(a.severity).append('@').append(a.time / MINUTE);
            sb.append(' ');
        }
        return sb.toString().trim();
    }

    /** The verdict of the only period of a one-period alarm after recording {@code data}. */
    private static String verdict(AlarmDefinition def, Datum... data) {
        AlarmState state = AlarmEvaluator.initialState(def);
        for (Datum x : data) {
            AlarmEvaluator.record(def, state, point(def.metric(), def.periodMillis(), x));
        }
        double[] values = AlarmEvaluator.evaluatedValues(def, state, 0);
        return AlarmEvaluator.periodVerdicts(def, state, 0, values)[0].toString();
    }

    @Test
    void aP99OfFewerThanAThousandSamplesIsNotEvaluated() {
        assertThat(verdict(p99(), d(1500, 999))).isEqualTo("insufficient");
        assertThat(verdict(p99(), d(1500, 1000))).isEqualTo("critical");
        assertThat(run(p99(), d(1500, 999))).isEmpty();
        List<Alert> raised = run(p99(), d(1500, 1000));
        assertThat(states(raised)).isEqualTo("ALARM/critical@1");
    }

    @Test
    void lowSamplePercentilesMayBeEvaluated() {
        AlarmDefinition evaluate =
                alarm(MetricNames.LATENCY_P99, Comparison.GREATER_THAN, 800, 1000)
                        .lowSamplePercentiles(LowSamplePercentiles.EVALUATE)
                        .build();
        assertThat(verdict(evaluate, d(1500, 999))).isEqualTo("critical");
        // p95 needs 200, p50 20.
        AlarmDefinition p95 =
                alarm(MetricNames.LATENCY_P95, Comparison.GREATER_THAN, 400, 500).build();
        assertThat(verdict(p95, d(600, 199))).isEqualTo("insufficient");
        assertThat(verdict(p95, d(600, 200))).isEqualTo("critical");
        AlarmDefinition p50 =
                alarm(MetricNames.LATENCY_P50, Comparison.GREATER_THAN, 150, 200).build();
        assertThat(verdict(p50, d(250, 19))).isEqualTo("insufficient");
        assertThat(verdict(p50, d(250, 20))).isEqualTo("critical");
    }

    @Test
    void aPercentilePeriodWithTooFewSamplesKeepsTheAlarm() {
        // Raised at 1,000 samples; a quiet minute of 240 requests neither resolves nor re-raises.
        List<Alert> alerts = run(p99(), d(1500, 1000), d(100, 240), d(100, 240), d(100, 1000));
        assertThat(states(alerts)).isEqualTo("ALARM/critical@1 OK/critical@4");
        assertThat(alerts.get(0).reason).doesNotContain("interval");
    }

    @Test
    void ctrIsJudgedByItsWilsonInterval() {
        // 3 clicks of 200 (1.5 %): 95 % Wilson 0.51 %-4.32 %, straddles both thresholds.
        assertThat(verdict(lowCtr(1), d(1.5, 200))).isEqualTo("insufficient");
        // 300 of 20,000: 1.341 %-1.678 %, wholly below 2.0.
        assertThat(verdict(lowCtr(1), d(1.5, 20_000))).isEqualTo("critical");
        // 1,100 of 50,000 (2.2 %): 2.075 %-2.332 %, below 2.5 but not below 2.0.
        assertThat(verdict(lowCtr(1), d(2.2, 50_000))).isEqualTo("warning");
        // 640 of 20,000 (3.2 %): 2.96 %-3.45 %, wholly above the warning threshold.
        assertThat(verdict(lowCtr(1), d(3.2, 20_000))).isEqualTo("clear");
        // 3.2 % of 1,000: 2.276 %-4.482 %, straddles 2.5 but its estimate is good: clear. Raising
        // asks for proof; resolving only for the estimate (and ok-periods of them in a row).
        assertThat(verdict(lowCtr(1), d(3.2, 1_000))).isEqualTo("clear");
    }

    @Test
    void confidenceZeroComparesByValue() {
        AlarmDefinition plain =
                alarm(MetricNames.CTR, Comparison.LESS_THAN, 2.5, 2.0).confidence(0).build();
        assertThat(verdict(plain, d(1.5, 200))).isEqualTo("critical");
    }

    @Test
    void aPointWithoutSamplesIsComparedByValue() {
        assertThat(verdict(lowCtr(1), d(1.5, 0))).isEqualTo("critical");
        assertThat(verdict(p99(), d(1500, 0))).isEqualTo("critical");
        // One datapoint without evidence leaves the whole period to its value.
        assertThat(verdict(lowCtr(1), d(1.5, 200), d(1.5, 0))).isEqualTo("critical");
    }

    @Test
    void datapointsOfOnePeriodPoolTheirTrials() {
        AlarmDefinition def =
                alarm(MetricNames.CTR, Comparison.LESS_THAN, 2.5, 2.0)
                        .periodMillis(5 * MINUTE)
                        .build();
        AlarmState state = AlarmEvaluator.initialState(def);
        // 100 of 10,000 and 300 of 10,000: 400 of 20,000 (2.0 %), Wilson 1.815 %-2.203 %: below 2.5
        // but straddling 2.0, so a warning; either datapoint alone would say otherwise.
        AlarmEvaluator.record(def, state, point(def.metric(), MINUTE, d(1.0, 10_000)));
        AlarmEvaluator.record(def, state, point(def.metric(), 2 * MINUTE, d(3.0, 10_000)));
        double[] values = AlarmEvaluator.evaluatedValues(def, state, 0);
        PeriodVerdict v = AlarmEvaluator.periodVerdicts(def, state, 0, values)[0];
        assertThat(v.toString()).isEqualTo("warning");
        assertThat(v.evidence()).isEqualTo("95 % interval 1.815-2.203 of 20000 samples");
        assertThat(verdict(lowCtr(1), d(1.0, 10_000))).isEqualTo("critical");
        assertThat(verdict(lowCtr(1), d(3.0, 10_000))).isEqualTo("clear");
    }

    @Test
    void aCorrectedDatapointReplacesItsEvidence() {
        AlarmDefinition def = lowCtr(1);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.record(def, state, point(def.metric(), MINUTE, d(1.0, 10_000)));
        // The same window again, corrected by late clicks: 3 % of 10,500.
        AlarmEvaluator.record(def, state, point(def.metric(), MINUTE, d(3.0, 10_500)));
        assertThat(state.slotSamples[0]).isEqualTo(10_500);
        assertThat(state.slotSampleSum[0])
                .isEqualTo(3.0 * 10_500, org.assertj.core.api.Assertions.within(1e-6));
        double[] values = AlarmEvaluator.evaluatedValues(def, state, 0);
        assertThat(AlarmEvaluator.periodVerdicts(def, state, 0, values)[0].toString())
                .isEqualTo("clear");
    }

    @Test
    void anAverageOrderValueIsJudgedByItsTInterval() {
        AlarmDefinition aov =
                alarm(MetricNames.AVERAGE_ORDER_VALUE, Comparison.LESS_THAN, 60, 50).build();
        // The guide's example: 40 purchases, mean 52, sd 30: 42.41-61.59. Neither below 50 nor
        // above 60.
        assertThat(verdict(aov, d(52, 40, 30))).isEqualTo("insufficient");
        // 400 purchases, mean 45, sd 30: 45 +- 1.9659 x 1.5 = 42.05-47.95, wholly below 50.
        assertThat(verdict(aov, d(45, 400, 30))).isEqualTo("critical");
        // 400 purchases, mean 70: 67.05-72.95, wholly above 60.
        assertThat(verdict(aov, d(70, 400, 30))).isEqualTo("clear");
        // One purchase has no interval; a mean without its spread is compared by value.
        assertThat(verdict(aov, d(10, 1, Double.NaN))).isEqualTo("insufficient");
        assertThat(verdict(aov, d(10, 40, Double.NaN))).isEqualTo("critical");
    }

    @Test
    void meansPoolByCountSumAndSumOfSquares() {
        AlarmDefinition aov =
                alarm(MetricNames.AVERAGE_ORDER_VALUE, Comparison.LESS_THAN, 60, 50)
                        .periodMillis(5 * MINUTE)
                        .build();
        AlarmState state = AlarmEvaluator.initialState(aov);
        // {1, 3} (mean 2, sd sqrt 2) and {5, 7} (mean 6, sd sqrt 2) pool into {1, 3, 5, 7}:
        // mean 4, sd sqrt(20 / 3); t(3, 0.975) = 3.182446: 4 +- 3.182446 x 1.290994 =
        // -0.1085-8.1085.
        AlarmEvaluator.record(aov, state, point(aov.metric(), MINUTE, d(2, 2, Math.sqrt(2))));
        AlarmEvaluator.record(aov, state, point(aov.metric(), 2 * MINUTE, d(6, 2, Math.sqrt(2))));
        double[] values = AlarmEvaluator.evaluatedValues(aov, state, 0);
        PeriodVerdict v = AlarmEvaluator.periodVerdicts(aov, state, 0, values)[0];
        assertThat(v.evidence()).isEqualTo("95 % interval -0.1085-8.109 of 4 samples");
        assertThat(v.toString()).isEqualTo("critical");
    }

    @Test
    void aRelativeThresholdIsJudgedAtItsAbsoluteLevel() {
        // Baseline: three periods of 3.2 %. Warning -20 % is 2.56 %, critical -50 % is 1.6 %.
        AlarmDefinition drop =
                alarm(MetricNames.CTR, Comparison.LESS_THAN, -20, -50)
                        .baselineMillis(3 * MINUTE)
                        .build();
        assertThat(relative(drop, d(2.0, 1_000))).isEqualTo("insufficient");
        // 400 of 20,000: 1.81 %-2.21 %, below 2.56 but not below 1.6.
        assertThat(relative(drop, d(2.0, 20_000))).isEqualTo("warning");
        // 1.2 % of 20,000: 1.06 %-1.36 %, below 1.6.
        assertThat(relative(drop, d(1.2, 20_000))).isEqualTo("critical");
        assertThat(relative(drop, d(3.0, 20_000))).isEqualTo("clear");
        assertThat(AlarmEvaluator.levelOf(drop, -20, 3.2)).isEqualTo(2.56, within());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.api.Assertions.within(1e-9);
    }

    private static String relative(AlarmDefinition def, Datum evaluated) {
        AlarmState state = AlarmEvaluator.initialState(def);
        for (int q = 0; q < 3; q++) {
            AlarmEvaluator.record(def, state, point(def.metric(), (q + 1) * MINUTE, d(3.2, 0)));
        }
        AlarmEvaluator.record(def, state, point(def.metric(), 4 * MINUTE, evaluated));
        double[] values = AlarmEvaluator.evaluatedValues(def, state, 3);
        return AlarmEvaluator.periodVerdicts(def, state, 3, values)[0].toString();
    }

    @Test
    void insufficientPeriodsNeitherRaiseNorResolve() {
        Datum low = d(1.5, 20_000);
        Datum thin = d(1.5, 200);
        Datum good = d(3.2, 20_000);
        List<Alert> alerts = run(lowCtr(3), low, low, low, thin, thin, thin, good, good, good);
        // Raised after three proven breaches; three thin periods keep it; good periods resolve it
        // once there are ok-periods (N = 3) of them in a row, the thin ones out of the count.
        assertThat(states(alerts)).isEqualTo("ALARM/critical@3 OK/critical@9");
        assertThat(alerts.get(0).reason)
                .contains("[newest period: 95 % interval 1.341-1.678 of 20000 samples, critical]");
        // Thin periods alone never raise, even three of them below the threshold by value.
        assertThat(run(lowCtr(3), thin, thin, thin, thin)).isEmpty();
    }

    @Test
    void aWindowOfInsufficientPeriodsKeepsTheStateWhateverMissingDataMeans() {
        AlarmDefinition errors =
                alarm(MetricNames.ERROR_RATE, Comparison.GREATER_THAN, 1, 5)
                        .evaluationPeriods(2)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build();
        // 600 errors of 10,000 (6 %): 5.55 %-6.48 %. Then two minutes of 1 error in 40 (2.5 %):
        // 0.44 %-12.9 %, straddling both thresholds: still ALARM. Then clean minutes resolve. (3 of
        // 40, 2.58 %-19.9 %, would be proven above the warning threshold.)
        Datum burst = d(6.0, 10_000);
        Datum thin = d(2.5, 40);
        Datum clean = d(0.1, 10_000);
        List<Alert> alerts = run(errors, burst, burst, thin, thin, clean, clean);
        // Resolved after ok-periods (N = 2) clean minutes in a row.
        assertThat(states(alerts)).isEqualTo("ALARM/critical@2 OK/critical@6");
        // A burst at low traffic is still proven: 20 of 40 failed (50 %): 35.2 %-64.8 %.
        assertThat(states(run(errors, d(50, 40), d(50, 40)))).isEqualTo("ALARM/critical@2");
    }

    @Test
    void stateFromBeforeEvidenceIsReadAndItsPeriodsComparedByValue() {
        AlarmDefinition def = lowCtr(2);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.record(def, state, point(def.metric(), MINUTE, d(1.5, 200)));
        // As restored from a checkpoint written before the evidence fields existed.
        withoutEvidence(state);
        AlarmEvaluator.record(def, state, point(def.metric(), 2 * MINUTE, d(1.5, 200)));
        double[] values = AlarmEvaluator.evaluatedValues(def, state, 1);
        PeriodVerdict[] v = AlarmEvaluator.periodVerdicts(def, state, 1, values);
        assertThat(v[0].toString()).isEqualTo("critical");
        assertThat(v[1].toString()).isEqualTo("insufficient");
        assertThat(state.slotSamples).hasSize(state.slotPeriod.length);
    }

    @Test
    void stateFromBeforeCorrectionsIsUpgradedSoThatTheNextCorrectionReplacesItsDatapoint() {
        AlarmDefinition def = lowCtr(2);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.record(def, state, point(def.metric(), MINUTE, d(1.5, 200)));
        // As restored from a checkpoint written before corrections were replaced or evidence kept.
        state.slotLastTime = new long[0];
        state.slotLastValue = new double[0];
        withoutEvidence(state);
        AlarmEvaluator.record(def, state, point(def.metric(), 2 * MINUTE, d(3.0, 200)));
        // The window of the second period, corrected by late data: it replaces the first emission.
        AlarmEvaluator.record(def, state, point(def.metric(), 2 * MINUTE, d(1.5, 200)));
        assertThat(AlarmEvaluator.evaluatedValues(def, state, 1)).containsExactly(1.5, 1.5);
        assertThat(state.slotLastTime).hasSize(state.slotPeriod.length);
        assertThat(state.slotLastStdDev).hasSize(state.slotPeriod.length);
    }

    /** Empties the evidence arrays, as a checkpoint written before they existed restores them. */
    private static void withoutEvidence(AlarmState state) {
        state.slotSamples = new long[0];
        state.slotSampleSum = new double[0];
        state.slotSampleSquares = new double[0];
        state.slotLastSamples = new long[0];
        state.slotLastStdDev = new double[0];
    }
}
