package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlarmEvaluatorTest {
    private static final long HOUR = 3_600_000L;

    private static AlarmDefinition lowCtr(int n, int m) {
        return new AlarmDefinition(
                "recommendation-low-ctr",
                "CTR",
                AlarmDefinition.Comparison.LESS_THAN,
                2.5,
                2.0,
                HOUR,
                n,
                m,
                "ml",
                "Click-through rate below its threshold",
                Arrays.asList("", "ModelVersion"));
    }

    private static MetricPoint ctr(int hour, double value) {
        return new MetricPoint(
                "RecommendationSystem",
                "CTR",
                Collections.emptyMap(),
                value,
                "Percent",
                (hour - 1) * HOUR,
                hour * HOUR);
    }

    /** Feeds hourly values and returns the alerts, null for hours without data. */
    private static List<Alert> run(AlarmDefinition def, Double... hourlyValues) {
        AlarmState state = AlarmEvaluator.initialState(def);
        List<Alert> alerts = new ArrayList<>();
        for (int h = 0; h < hourlyValues.length; h++) {
            if (hourlyValues[h] == null) {
                continue;
            }
            Optional<Alert> a = AlarmEvaluator.evaluate(def, state, ctr(h + 1, hourlyValues[h]));
            a.ifPresent(alerts::add);
        }
        return alerts;
    }

    @Test
    void threeConsecutiveCriticalPeriodsRaiseOneCriticalAlert() {
        List<Alert> alerts = run(lowCtr(3, 3), 3.1, 1.9, 1.8, 1.5, 1.2);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.state).isEqualTo("ALARM");
        assertThat(a.previousState).isEqualTo("OK");
        assertThat(a.severity).isEqualTo("critical");
        assertThat(a.threshold).isEqualTo(2.0);
        assertThat(a.value).isEqualTo(1.5);
        assertThat(a.time).isEqualTo(4 * HOUR);
        assertThat(a.route).isEqualTo("ml");
        assertThat(a.deduplicationKey).isEqualTo("recommendation-low-ctr/CTR{}");
        assertThat(a.reason).contains("CTR < 2.0 in 3 of the last 3 periods of 3600 s");
    }

    @Test
    void twoBreachingPeriodsAreNotEnough() {
        assertThat(run(lowCtr(3, 3), 1.9, 1.8, 2.6, 1.9, 1.8)).isEmpty();
    }

    @Test
    void warningThenCriticalThenResolved() {
        List<Alert> alerts = run(lowCtr(3, 3), 2.4, 2.3, 2.2, 1.9, 1.9, 1.9, 3.0, 3.0, 3.0);
        assertThat(alerts)
                .extracting(a -> a.state + "/" + a.severity)
                .containsExactly("ALARM/warning", "ALARM/critical", "OK/critical");
        assertThat(alerts.get(0).time).isEqualTo(3 * HOUR);
        assertThat(alerts.get(1).time).isEqualTo(6 * HOUR);
        // Resolution as soon as fewer than M of the last N periods breach.
        assertThat(alerts.get(2).time).isEqualTo(7 * HOUR);
        assertThat(alerts.get(2).reason).startsWith("Resolved");
    }

    @Test
    void aMissingPeriodBreaksTheRun() {
        // Hours 1, 2 breach; hour 3 has no data; hour 4 breaches: only 2 of the last 3 periods.
        assertThat(run(lowCtr(3, 3), 1.0, 1.0, null, 1.0)).isEmpty();
        // ... and a 4th consecutive breaching hour then makes 3 of 3.
        assertThat(run(lowCtr(3, 3), 1.0, 1.0, null, 1.0, 1.0, 1.0)).hasSize(1);
    }

    @Test
    void mOfN() {
        List<Alert> alerts = run(lowCtr(5, 3), 1.0, 3.0, 1.0, 3.0, 1.0);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).time).isEqualTo(5 * HOUR);
    }

    @Test
    void aSteadyAlarmDoesNotRepeat() {
        assertThat(run(lowCtr(3, 3), 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)).hasSize(1);
    }

    @Test
    void aCorrectedValueReplacesTheOldOne() {
        AlarmDefinition def = lowCtr(3, 3);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.evaluate(def, state, ctr(1, 1.0));
        AlarmEvaluator.evaluate(def, state, ctr(2, 1.0));
        AlarmEvaluator.evaluate(def, state, ctr(3, 3.0));
        // Late feedback corrects hour 3 downwards: now 3 of 3 breach.
        Optional<Alert> alert = AlarmEvaluator.evaluate(def, state, ctr(3, 1.5));
        assertThat(alert).isPresent();
        assertThat(alert.get().severity).isEqualTo("critical");
    }

    @Test
    void noDataAfterAnAlarmGoesToInsufficientData() {
        AlarmDefinition def = lowCtr(3, 3);
        AlarmState state = AlarmEvaluator.initialState(def);
        AlarmEvaluator.evaluate(def, state, ctr(1, 1.0));
        AlarmEvaluator.evaluate(def, state, ctr(2, 1.0));
        assertThat(AlarmEvaluator.evaluate(def, state, ctr(3, 1.0))).isPresent();
        // The next datapoint arrives 10 hours later and is fine: 1 of 3 present, not breaching,
        // too few to call it OK, so the alarm holds.
        assertThat(AlarmEvaluator.evaluate(def, state, ctr(13, 3.0))).isEmpty();
        assertThat(state.state).isEqualTo("ALARM");
    }
}
