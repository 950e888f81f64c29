package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Flap detection of one alarm series: more than {@link AlarmDefinition#flapTransitions()} news
 * transitions (raised, resolved, escalated, de-escalated, no data) of the state machine within
 * {@link AlarmDefinition#flapSpanMillis()} make the series flap. People then get one {@code
 * flapping} notification, and news is held until the series is stable: no transition for a whole
 * flap span. Then one notification tells the state it settled in, unless that is the state the
 * flapping notification told.
 *
 * <p>Pure, on fields of {@link AlarmState}: a ring of the last flap-transitions + 1 transition
 * times (bounded state however long a series flaps), whether news is held, and what people were
 * last told. Transitions between OK and INSUFFICIENT_DATA are bookkeeping, not news, and do not
 * count.
 */
public final class FlapDetector {
    private FlapDetector() {}

    /** Records a news transition of the state machine at event time {@code time}. */
    public static void recordTransition(AlarmDefinition d, AlarmState state, long time) {
        int size = d.flapTransitions() + 1;
        if (state.transitionTimes == null || state.transitionTimes.length != size) {
            // State from before flap detection, or a changed limit: start counting again.
            state.transitionTimes = new long[size];
            Arrays.fill(state.transitionTimes, AlarmState.NONE);
            state.transitionCount = 0;
        }
        state.transitionTimes[(int) (state.transitionCount % size)] = time;
        state.transitionCount++;
        state.lastTransitionTime = time;
    }

    /**
     * Whether more than flap-transitions transitions lie within the flap span ending at {@code
     * time}, i.e. in {@code (time - span, time]}: the oldest of the last flap-transitions + 1 does.
     */
    public static boolean exceedsLimit(AlarmDefinition d, AlarmState state, long time) {
        if (d.flapTransitions() == 0 || state.transitionTimes == null) {
            return false;
        }
        int size = state.transitionTimes.length;
        if (state.transitionCount < size) {
            return false;
        }
        long oldest = state.transitionTimes[(int) (state.transitionCount % size)];
        return oldest != AlarmState.NONE && time - oldest < d.flapSpanMillis();
    }

    /** Whether a flapping series has had no transition for a whole flap span at {@code time}. */
    public static boolean isStable(AlarmDefinition d, AlarmState state, long time) {
        return state.lastTransitionTime == AlarmState.NONE
                || time - state.lastTransitionTime >= d.flapSpanMillis();
    }

    /** Starts holding news: people are told {@code toldState} at {@code toldSeverity}. */
    public static void startHold(AlarmState state, long time) {
        state.flapping = true;
        state.flappingSince = time;
        state.toldState = state.state;
        state.toldSeverity = state.severity;
    }

    /** Ends the hold. */
    public static void endHold(AlarmState state) {
        state.flapping = false;
        state.flappingSince = AlarmState.NONE;
        state.toldState = null;
        state.toldSeverity = null;
    }

    /** The reason of a flapping notification: how many transitions, in what span. */
    public static String flappingReason(AlarmDefinition d, AlarmState state, long time) {
        int size = state.transitionTimes.length;
        long oldest = state.transitionTimes[(int) (state.transitionCount % size)];
        return String.format(
                Locale.ROOT,
                "Flapping: %s changed state %d times in %s (limit: more than %d in %s); now %s%s."
                        + " Further news is held until no change for %s.",
                d.name(),
                size,
                span(time - oldest),
                d.flapTransitions(),
                span(d.flapSpanMillis()),
                state.state,
                AlarmState.ALARM.equals(state.state) ? " at " + state.severity : "",
                span(d.flapSpanMillis()));
    }

    /** What a notification sent when a flapping series settles adds to its reason. */
    public static String settledNote(AlarmDefinition d, AlarmState state, long time) {
        return String.format(
                Locale.ROOT,
                " [settled after flapping: news held from %s to %s, no change for %s]",
                java.time.Instant.ofEpochMilli(state.flappingSince),
                java.time.Instant.ofEpochMilli(time),
                span(d.flapSpanMillis()));
    }

    private static String span(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (millis % 3_600_000L == 0) {
            return d.toHours() + " h";
        }
        if (millis % 60_000L == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
