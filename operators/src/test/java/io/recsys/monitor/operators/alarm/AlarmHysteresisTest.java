package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Hysteresis ({@link AlarmHysteresis}) and flap detection ({@link FlapDetector}) period by period,
 * through {@link AlarmEvaluator#evaluate}. The alarm: Errors &gt; 5 warning, &gt; 10 critical, one
 * hour per period; values are written per hour (null: no datapoint), B = 12 (critical), W = 7
 * (warning), G = 1 (good).
 */
class AlarmHysteresisTest {
    private static final long HOUR = 3_600_000L;
    private static final long NEVER = Long.MAX_VALUE / 4;
    private static final Double B = 12.0;
    private static final Double W = 7.0;
    private static final Double G = 1.0;

    private static AlarmDefinition.Builder errors(int n, int m) {
        return AlarmDefinition.builder("errors", "Errors")
                .comparison(Comparison.GREATER_THAN)
                .warningThreshold(5)
                .criticalThreshold(10)
                .periodMillis(HOUR)
                .evaluationPeriods(n)
                .datapointsToAlarm(m);
    }

    /** Every alert, quiet ones included, as notification/state/severity@hour of its period end. */
    private static List<String> run(AlarmDefinition d, long repeat, Double... hourly) {
        return describe(alerts(d, AlarmEvaluator.initialState(d), 0, repeat, hourly));
    }

    private static List<String> run(AlarmDefinition d, Double... hourly) {
        return run(d, NEVER, hourly);
    }

    private static List<Alert> alerts(
            AlarmDefinition d, AlarmState state, int fromHour, long repeat, Double... hourly) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < hourly.length; i++) {
            long h = fromHour + i;
            if (hourly[i] != null) {
                AlarmEvaluator.record(
                        d,
                        state,
                        new MetricPoint(
                                "RecommendationSystem",
                                d.metric(),
                                Map.of(),
                                hourly[i],
                                "Count",
                                h * HOUR,
                                (h + 1) * HOUR));
            }
            AlarmEvaluator.evaluate(d, state, h, repeat, Map.of()).ifPresent(alerts::add);
        }
        return alerts;
    }

    private static List<String> describe(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(
                    a.notification
                            + "/"
                            + a.state
                            + (AlarmState.ALARM.equals(a.state) ? "/" + a.severity : "")
                            + "@"
                            + a.time / HOUR);
        }
        return out;
    }

    // --- hysteresis ---

    @Test
    void resolvingNeedsOkPeriodsConsecutiveGoodPeriods() {
        // 2 of 2, ok-periods 2 (the default N). Without hysteresis the lone good hours 2 and 5
        // would each resolve (raw 1 of 2 breaching), and hour 4 raise again: three more alerts.
        assertThat(run(errors(2, 2).build(), B, B, G, B, B, G, G))
                .containsExactly("raised/ALARM/critical@2", "resolved/OK@7");
    }

    @Test
    void okPeriodsLongerThanTheWindow() {
        AlarmDefinition d = errors(2, 2).okPeriods(4).build();
        assertThat(d.okPeriods()).isEqualTo(4);
        // Good hours 2..5: the fourth (hour 5, ending 6:00) resolves; the window alone would have
        // resolved at 3:00.
        assertThat(run(d, B, B, G, G, G, G))
                .containsExactly("raised/ALARM/critical@2", "resolved/OK@6");
        // Three are not enough.
        assertThat(run(d, B, B, G, G, G)).containsExactly("raised/ALARM/critical@2");
    }

    @Test
    void aBreachStartsTheCountAgain() {
        AlarmDefinition d = errors(2, 2).okPeriods(3).build();
        // Good 2, 3, then a breach at 4 (raw state OK: 1 of 2), then good 5, 6, 7.
        assertThat(run(d, B, B, G, G, B, G, G, G))
                .containsExactly("raised/ALARM/critical@2", "resolved/OK@8");
        // A warning-level breach breaks the run of good periods too, though not the run without a
        // critical breach: hours 2, 3, 4 make 3 of those, and the alarm de-escalates.
        assertThat(run(d, B, B, G, G, W, G, G, G))
                .containsExactly(
                        "raised/ALARM/critical@2", "de-escalated/ALARM/warning@5", "resolved/OK@8");
    }

    @Test
    void silentPeriodsNeitherCountNorBreakTheRun() {
        AlarmDefinition missing = errors(2, 2).okPeriods(3).build();
        // Under missing, hours 3 and 5 say nothing: good hours 2, 4, 6 make the 3.
        assertThat(run(missing, B, B, G, null, G, null, G))
                .containsExactly("raised/ALARM/critical@2", "resolved/OK@7");
        // Under notBreaching, a missing period is a good one: 2, 3, 4.
        AlarmDefinition notBreaching =
                errors(2, 2).okPeriods(3).treatMissingData(TreatMissingData.NOT_BREACHING).build();
        assertThat(run(notBreaching, B, B, G, null, null))
                .containsExactly("data-back/OK@1", "raised/ALARM/critical@2", "resolved/OK@5");
    }

    @Test
    void anAlarmWithoutAnyDataGoesToInsufficientDataAtOnce() {
        // missing, N = 2: two hours without data leave nothing to be patient about.
        assertThat(run(errors(2, 2).okPeriods(5).build(), B, B, null, null))
                .containsExactly("raised/ALARM/critical@2", "no-data/INSUFFICIENT_DATA@4");
    }

    @Test
    void deEscalationNeedsOkPeriodsWithoutACriticalBreach() {
        // Critical at 2; warning hours 2 and 3: the second de-escalates; good 4 and 5 resolve.
        assertThat(run(errors(2, 2).build(), B, B, W, W, G, G))
                .containsExactly(
                        "raised/ALARM/critical@2", "de-escalated/ALARM/warning@4", "resolved/OK@6");
        // Alternating critical and warning hours: the raw severity swings every hour (critical
        // 2 of 2, then 1 of 2), the alarm stays critical.
        assertThat(run(errors(2, 2).build(), B, B, W, B, W, B, W, B))
                .containsExactly("raised/ALARM/critical@2");
    }

    @Test
    void theWorkedExampleOfTheOperationsGuide() {
        // docs/operations.md, "Hysteresis": M of N alone would tell raised@3, de-escalated@4,
        // resolved@6, raised@8, resolved@9.
        assertThat(run(errors(2, 2).build(), G, B, B, W, W, G, B, B, G, G))
                .containsExactly(
                        "data-back/OK@1",
                        "raised/ALARM/critical@3",
                        "de-escalated/ALARM/warning@5",
                        "escalated/ALARM/critical@8",
                        "resolved/OK@10");
    }

    @Test
    void escalationIsImmediate() {
        assertThat(run(errors(2, 2).build(), W, W, B, B))
                .containsExactly("raised/ALARM/warning@2", "escalated/ALARM/critical@4");
    }

    @Test
    void aLevelTheAlarmDoesNotHaveIsGood() {
        AlarmDefinition d =
                AlarmDefinition.builder("errors", "Errors")
                        .comparison(Comparison.GREATER_THAN)
                        .criticalThreshold(10)
                        .periodMillis(HOUR)
                        .evaluationPeriods(2)
                        .build();
        // 7 breaches no level of a critical-only alarm: a good period, so no de-escalation to a
        // warning level it does not have, and W, W resolve like G, G.
        assertThat(run(d, B, B, W, W)).containsExactly("raised/ALARM/critical@2", "resolved/OK@4");
        assertThat(run(d, B, B, W, B, W)).containsExactly("raised/ALARM/critical@2");
    }

    // --- flap detection: 1 of 1, ok-periods 1 (no hysteresis), so every hour may flip ---

    private static AlarmDefinition flappy(int transitions, long spanHours) {
        return errors(1, 1)
                .criticalThreshold(Double.NaN)
                .flapTransitions(transitions)
                .flapSpanMillis(spanHours * HOUR)
                .build();
    }

    @Test
    void theDefaultFlapSpanIsTwiceTheFastestFlapping() {
        // 4 x (M + ok-periods) periods: raise needs M periods, resolve ok-periods.
        AlarmDefinition d = errors(5, 3).okPeriods(4).build();
        assertThat(d.flapTransitions()).isEqualTo(4);
        assertThat(d.flapSpanMillis()).isEqualTo(4 * (3 + 4) * HOUR);
    }

    @Test
    void exactlyTheLimitIsNotFlapping() {
        // 4 transitions (1, 2, 3, 4 h) within 10 h: at the limit, every one is told.
        assertThat(run(flappy(4, 10), W, G, W, G, G))
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@2",
                        "raised/ALARM/warning@3",
                        "resolved/OK@4");
    }

    @Test
    void oneAboveTheLimitFlapsAndHoldsUntilStableThenTellsTheSettledState() {
        List<Alert> alerts =
                alerts(
                        flappy(4, 10),
                        AlarmEvaluator.initialState(flappy(4, 10)),
                        0,
                        NEVER,
                        // 5th transition at 5:00; held ones at 6, 7, 8; stable 10 h after 8:00.
                        W,
                        G,
                        W,
                        G,
                        W,
                        G,
                        W,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G,
                        G);
        assertThat(describe(alerts))
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@2",
                        "raised/ALARM/warning@3",
                        "resolved/OK@4",
                        "flapping/ALARM/warning@5",
                        "resolved/OK@18");
        Alert flapping = alerts.get(4);
        assertThat(flapping.reason)
                .isEqualTo(
                        "Flapping: errors changed state 5 times in 4 h (limit: more than 4 in"
                                + " 10 h); now ALARM at warning. Further news is held until no"
                                + " change for 10 h.");
        // Routed and ranked as the alarm's current severity.
        assertThat(flapping.severity).isEqualTo("warning");
        assertThat(flapping.route).isEqualTo("warning");
        assertThat(flapping.priority).isEqualTo("P3");
        Alert settled = alerts.get(5);
        assertThat(settled.previousState).isEqualTo("ALARM");
        assertThat(settled.reason)
                .endsWith(
                        "[settled after flapping: news held from 1970-01-01T05:00:00Z to"
                                + " 1970-01-01T18:00:00Z, no change for 10 h]");
    }

    @Test
    void oneHourShortOfStableStaysHeld() {
        // The last held transition at 8:00; 9 quiet hours to 17:00 are not a whole span.
        assertThat(run(flappy(4, 10), W, G, W, G, W, G, W, G, G, G, G, G, G, G, G, G, G))
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@2",
                        "raised/ALARM/warning@3",
                        "resolved/OK@4",
                        "flapping/ALARM/warning@5");
    }

    @Test
    void transitionsSpreadOverMoreThanTheSpanDoNotFlap() {
        // 5 transitions from 1:00 to 5:00 span 4 h: within a 5 h span, not within a 4 h one.
        assertThat(run(flappy(4, 4), W, G, W, G, W)).hasSize(5).doesNotContain("flapping");
        assertThat(run(flappy(4, 5), W, G, W, G, W)).contains("flapping/ALARM/warning@5");
    }

    @Test
    void settlingInTheToldStateSaysNothingAndNewsFlowsAgainAfter() {
        Double[] hours = new Double[20];
        Double[] head = {W, G, W, G, W, G, W};
        System.arraycopy(head, 0, hours, 0, head.length);
        for (int h = head.length; h < 19; h++) {
            hours[h] = W;
        }
        hours[19] = G;
        // Flapping at 5:00 in ALARM; held 6:00, 7:00 (ALARM again); stable in ALARM at 17:00,
        // which is what people were told: no alert. Then the resolve at 20:00 is news again.
        assertThat(run(flappy(4, 10), hours))
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@2",
                        "raised/ALARM/warning@3",
                        "resolved/OK@4",
                        "flapping/ALARM/warning@5",
                        "resolved/OK@20");
    }

    @Test
    void repeatsAreHeldWhileFlapping() {
        AlarmDefinition d =
                errors(1, 1).flapTransitions(4).flapSpanMillis(10 * HOUR).build(); // critical 10
        // Critical ALARM from 5:00 on, repeat interval 1 h: no repeat until stable at 15:00,
        // which is the told state (no alert), then hourly repeats resume.
        List<String> alerts = run(d, HOUR, B, G, B, G, B, B, B, B, B, B, B, B, B, B, B, B, B);
        assertThat(alerts)
                .containsExactly(
                        "raised/ALARM/critical@1",
                        "resolved/OK@2",
                        "raised/ALARM/critical@3",
                        "resolved/OK@4",
                        "flapping/ALARM/critical@5",
                        "repeat/ALARM/critical@16",
                        "repeat/ALARM/critical@17");
    }

    @Test
    void quietBookkeepingGoesOnWhilePeopleWereToldNoAlarm() {
        // Limit 3: the 4th transition (resolve at 4:00) flaps in OK. Hour 4 has no data:
        // INSUFFICIENT_DATA, quiet, goes out for the composites; hour 5 raises underneath
        // (held); hour 6 good again (told: data back), hour 7 without data.
        List<String> alerts = run(flappy(3, 10), W, G, W, G, null, W, G, null);
        assertThat(alerts)
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@2",
                        "raised/ALARM/warning@3",
                        "flapping/OK@4",
                        "no-data/INSUFFICIENT_DATA@5",
                        "data-back/OK@7",
                        "no-data/INSUFFICIENT_DATA@8");
    }

    @Test
    void flapDetectionOff() {
        assertThat(run(flappy(0, 10), W, G, W, G, W, G, W, G)).hasSize(8);
    }

    // --- restore from a checkpoint ---

    /**
     * The state through the serializer of its Flink state ({@link AlarmFunction}'s "alarm-states",
     * {@code TypeInformation.of(AlarmState.class)}), as a checkpoint writes and a restore reads it.
     * Generic types are off: a field left to Kryo fails here rather than in a savepoint upgrade.
     */
    private static AlarmState checkpointed(AlarmState state) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<AlarmState> serializer =
                TypeInformation.of(AlarmState.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(state, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aStateRestoredMidWayCarriesOnAsIfNeverStopped() throws Exception {
        // 1 of 1, ok-periods 2, flapping above 3 transitions in 10 h.
        AlarmDefinition d =
                errors(1, 1).okPeriods(2).flapTransitions(3).flapSpanMillis(10 * HOUR).build();
        Double[] hours = new Double[24];
        Double[] head = {W, G, G, W, G, B, G, G, G, null, W, B, G, G};
        System.arraycopy(head, 0, hours, 0, head.length);
        Arrays.fill(hours, head.length, hours.length, G);
        List<Alert> straight = alerts(d, AlarmEvaluator.initialState(d), 0, NEVER, hours);
        // Raised at 1:00, resolved by the 2nd good hour (3:00), raised again at 4:00; the
        // escalation at 6:00 is the 4th transition in 5 h: flapping. Held: resolve at 8:00, no
        // data at 10:00, raise at 11:00, escalation at 12:00 (the told state), resolve at 14:00;
        // stable 10 h later, at 24:00, in OK.
        assertThat(describe(straight))
                .containsExactly(
                        "raised/ALARM/warning@1",
                        "resolved/OK@3",
                        "raised/ALARM/warning@4",
                        "flapping/ALARM/critical@6",
                        "resolved/OK@24");

        // A checkpoint after every hour k: the run restored from it must send the very same
        // alerts, reasons and values included, as the straight one.
        for (int k = 1; k < hours.length; k++) {
            AlarmState before = AlarmEvaluator.initialState(d);
            List<Alert> alerts = alerts(d, before, 0, NEVER, Arrays.copyOfRange(hours, 0, k));
            AlarmState after = checkpointed(before);
            if (k == 2) {
                // One good hour of the two that resolve, one transition of the four that flap.
                assertThat(after.goodPeriods).isEqualTo(1);
                assertThat(after.transitionCount).isEqualTo(1);
                assertThat(after.flapping).isFalse();
            } else if (k == 7 || k == 13) {
                // Held in a critical ALARM, one good hour towards de-escalating and resolving.
                assertThat(after.flapping).isTrue();
                assertThat(after.toldState).isEqualTo(AlarmState.ALARM);
                assertThat(after.goodPeriods).isEqualTo(1);
                assertThat(after.periodsBelowCritical).isEqualTo(1);
            }
            alerts.addAll(alerts(d, after, k, NEVER, Arrays.copyOfRange(hours, k, hours.length)));
            assertThat(alerts).as("restored after hour %d", k).isEqualTo(straight);
        }
    }

    @Test
    void stateRestoredWithoutTheNewFieldsCarriesOn() {
        AlarmDefinition d = errors(2, 2).flapTransitions(4).flapSpanMillis(10 * HOUR).build();
        AlarmState state = AlarmEvaluator.initialState(d);
        assertThat(describe(alerts(d, state, 0, NEVER, B, B)))
                .containsExactly("raised/ALARM/critical@2");
        // What a checkpoint from before hysteresis restores: the new fields at Java defaults.
        state.goodPeriods = 0;
        state.periodsBelowCritical = 0;
        state.transitionTimes = null;
        state.transitionCount = 0;
        state.lastTransitionTime = 0;
        state.flapping = false;
        state.flappingSince = 0;
        state.toldState = null;
        state.toldSeverity = null;
        assertThat(describe(alerts(d, state, 2, NEVER, G, G, B, B, G, G)))
                .containsExactly("resolved/OK@4", "raised/ALARM/critical@6", "resolved/OK@8");
        assertThat(state.transitionTimes).hasSize(5);
        assertThat(state.transitionCount).isEqualTo(3);
        // An empty ring, as a POJO field initialiser would leave it, works the same.
        state.transitionTimes = new long[0];
        state.transitionCount = 0;
        assertThat(describe(alerts(d, state, 8, NEVER, B, B)))
                .containsExactly("raised/ALARM/critical@10");
    }
}
