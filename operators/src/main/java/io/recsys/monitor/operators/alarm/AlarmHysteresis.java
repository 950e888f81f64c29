package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;

/**
 * Hysteresis of an alarm: raising is quick (M of N breaching periods, as CloudWatch), leaving is
 * slow, so that a series that oscillates around its threshold alerts once rather than at every
 * crossing. Pure: it reads and updates two counters of {@link AlarmState}.
 *
 * <ul>
 *   <li>Resolve: an ALARM goes to OK only after {@link AlarmDefinition#okPeriods()} consecutive
 *       good periods. A good period has data (or is missing under {@code notBreaching}) and
 *       breaches no level; a breaching period starts the count again; a period that says nothing
 *       (missing under {@code missing} or {@code ignore}, or insufficient: {@link PeriodVerdict})
 *       neither counts nor breaks the run.
 *   <li>De-escalation: a critical ALARM drops to warning only after ok-periods periods without a
 *       critical breach (periods that say nothing again neither count nor break the run).
 *   <li>Escalation to critical is immediate, as is an ALARM with no data at all going to
 *       INSUFFICIENT_DATA under {@code missing}: there is nothing left to be patient about.
 * </ul>
 */
public final class AlarmHysteresis {
    private AlarmHysteresis() {}

    /**
     * Counts period {@code verdict} into the runs of good and of non-critical periods, at its
     * {@linkplain PeriodVerdict#level() level}. The runs are capped at ok-periods, which is all the
     * rule needs to know, so they never overflow.
     */
    static void count(AlarmDefinition d, AlarmState state, PeriodVerdict verdict) {
        PeriodVerdict.Level level = verdict.level();
        if (level == PeriodVerdict.Level.SILENT) {
            return;
        }
        int cap = d.okPeriods();
        state.goodPeriods =
                level == PeriodVerdict.Level.GOOD ? Math.min(cap, state.goodPeriods + 1) : 0;
        state.periodsBelowCritical =
                level == PeriodVerdict.Level.CRITICAL
                        ? 0
                        : Math.min(cap, state.periodsBelowCritical + 1);
    }

    /**
     * Counts {@code skipped} periods without a datapoint that were not evaluated one by one (the
     * engine jumps over a silent stretch).
     */
    public static void countSkipped(AlarmDefinition d, AlarmState state, long skipped) {
        PeriodVerdict missing = PeriodVerdict.missing(d);
        long n = Math.min(skipped, d.okPeriods());
        for (long i = 0; i < n; i++) {
            count(d, state, missing);
        }
    }

    /**
     * Sets the state and severity of the series, given the one that M of N says ({@code rawState},
     * {@code rawSeverity}) and the runs counted so far; {@code state} holds the current state.
     */
    public static void decide(
            AlarmDefinition d, AlarmState state, String rawState, String rawSeverity) {
        String newState = rawState;
        String newSeverity = rawSeverity;
        if (AlarmState.ALARM.equals(state.state)) {
            boolean critical = "critical".equals(state.severity);
            boolean calm = state.periodsBelowCritical >= d.okPeriods();
            if (AlarmState.ALARM.equals(rawState)
                    && critical
                    && !"critical".equals(rawSeverity)
                    && !calm) {
                newSeverity = state.severity;
            } else if (AlarmState.OK.equals(rawState) && state.goodPeriods < d.okPeriods()) {
                boolean canDeEscalate = critical && calm && !Double.isNaN(d.warningThreshold());
                newState = AlarmState.ALARM;
                newSeverity = canDeEscalate ? "warning" : state.severity;
            }
        }
        state.state = newState;
        state.severity = newSeverity;
    }
}
