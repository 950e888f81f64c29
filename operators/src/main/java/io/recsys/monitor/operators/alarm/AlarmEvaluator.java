package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates one alarm on one series, CloudWatch style: the last N periods are looked at, the alarm
 * is raised when M of them breach (critical before warning), returns to OK when at least M periods
 * have data and fewer than M breach, and is INSUFFICIENT_DATA when none of the N periods has data.
 * A period without a datapoint counts neither way. Only a change of state (or of severity while in
 * ALARM) yields an alert, so a steady alarm does not repeat itself.
 */
public final class AlarmEvaluator {
    private AlarmEvaluator() {}

    /** A fresh state for {@code definition}. */
    public static AlarmState initialState(AlarmDefinition definition) {
        return AlarmState.initial(definition.evaluationPeriods());
    }

    /**
     * Records {@code point} in {@code state} and re-evaluates. Returns the alert of a state change,
     * if any.
     */
    public static Optional<Alert> evaluate(
            AlarmDefinition definition, AlarmState state, MetricPoint point) {
        record(definition, state, point);

        int present = 0;
        int warningBreaches = 0;
        int criticalBreaches = 0;
        for (double v : state.recent) {
            if (Double.isNaN(v)) {
                continue;
            }
            present++;
            if (definition.comparison().breaches(v, definition.criticalThreshold())) {
                criticalBreaches++;
            }
            if (definition.comparison().breaches(v, definition.warningThreshold())) {
                warningBreaches++;
            }
        }

        int m = definition.datapointsToAlarm();
        String newState;
        String newSeverity;
        if (criticalBreaches >= m) {
            newState = AlarmState.ALARM;
            newSeverity = "critical";
        } else if (warningBreaches >= m) {
            newState = AlarmState.ALARM;
            newSeverity = "warning";
        } else if (present >= m) {
            newState = AlarmState.OK;
            newSeverity = state.severity;
        } else if (present == 0) {
            newState = AlarmState.INSUFFICIENT_DATA;
            newSeverity = state.severity;
        } else {
            // Too few datapoints to decide either way: keep the current state.
            return Optional.empty();
        }

        String previousState = state.state;
        boolean changed =
                !newState.equals(previousState)
                        || (AlarmState.ALARM.equals(newState)
                                && !newSeverity.equals(state.severity));
        state.state = newState;
        state.severity = newSeverity;
        // INSUFFICIENT_DATA <-> OK is bookkeeping, not news.
        boolean quiet =
                !AlarmState.ALARM.equals(newState) && !AlarmState.ALARM.equals(previousState);
        if (!changed || quiet) {
            return Optional.empty();
        }
        return Optional.of(
                alert(
                        definition,
                        point,
                        previousState,
                        newState,
                        newSeverity,
                        present,
                        criticalBreaches,
                        warningBreaches));
    }

    private static void record(AlarmDefinition definition, AlarmState state, MetricPoint point) {
        int n = definition.evaluationPeriods();
        if (state.recent.length != n) {
            // The definition changed between runs: start the history again.
            state.recent = new double[n];
            Arrays.fill(state.recent, Double.NaN);
            state.newestPeriod = Long.MIN_VALUE;
        }
        long period = Math.floorDiv(point.timestamp - 1, definition.periodMillis());
        if (state.newestPeriod == Long.MIN_VALUE || period > state.newestPeriod) {
            long shift =
                    state.newestPeriod == Long.MIN_VALUE
                            ? n
                            : Math.min(n, period - state.newestPeriod);
            System.arraycopy(state.recent, 0, state.recent, (int) shift, n - (int) shift);
            Arrays.fill(state.recent, 0, (int) shift, Double.NaN);
            state.newestPeriod = period;
            state.recent[0] = point.value;
        } else if (state.newestPeriod - period < n) {
            // A corrected value for a period already seen replaces the old one.
            state.recent[(int) (state.newestPeriod - period)] = point.value;
        }
    }

    private static Alert alert(
            AlarmDefinition def,
            MetricPoint point,
            String previousState,
            String newState,
            String severity,
            int present,
            int criticalBreaches,
            int warningBreaches) {
        Alert a = new Alert();
        a.alarmName = def.name();
        a.severity = severity;
        a.state = newState;
        a.previousState = previousState;
        a.metric = def.metric();
        a.dimensions = point.dimensions;
        a.value = point.value;
        boolean critical = "critical".equals(severity);
        a.threshold = critical ? def.criticalThreshold() : def.warningThreshold();
        a.time = point.timestamp;
        a.route = def.route();
        a.deduplicationKey = def.name() + "/" + point.seriesKey();
        String periods =
                " of the last "
                        + def.evaluationPeriods()
                        + " periods of "
                        + def.periodMillis() / 1000
                        + " s";
        if (AlarmState.ALARM.equals(newState)) {
            a.reason =
                    String.format(
                            Locale.ROOT,
                            "%s: %s %s %s in %d%s (latest %.4g)",
                            def.description(),
                            def.metric(),
                            def.comparison().symbol(),
                            fmt(a.threshold),
                            critical ? criticalBreaches : warningBreaches,
                            periods,
                            point.value);
        } else if (AlarmState.OK.equals(newState)) {
            a.reason =
                    String.format(
                            Locale.ROOT,
                            "Resolved: %s breached the warning threshold %s in fewer than %d%s (latest %.4g)",
                            def.metric(),
                            fmt(def.warningThreshold()),
                            def.datapointsToAlarm(),
                            periods,
                            point.value);
        } else {
            a.reason = "No data for " + def.metric() + " in any" + periods;
        }
        return a;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(v);
    }
}
