package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Statistic;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates one alarm on one series, CloudWatch style, one closed period at a time. Pure: no Flink
 * types, so every rule is tested directly; {@link AlarmFunction} calls it from event-time timers at
 * period ends, which is how a period that passed without a datapoint gets evaluated at all.
 *
 * <p>The rules, for the N periods ending with the evaluated one:
 *
 * <ul>
 *   <li>A period's value is the definition's statistic over its datapoints (e.g. the Average of the
 *       twelve 5-minute FeatureDrift points of an hour, what CloudWatch's Average statistic gives
 *       for the same datapoints). With a relative threshold the value is first turned into its
 *       change in percent against the baseline: the mean of the period values in the baseline span
 *       just before the N periods, so that a sustained drop does not pull down its own baseline.
 *       Without enough baseline datapoints the periods count as missing.
 *   <li>A period breaches at critical (warning) when its value breaches the critical (warning)
 *       threshold. A period without data is treated as {@link TreatMissingData} says: {@code
 *       breaching} (at the worst level the alarm has), {@code notBreaching}, or not considered
 *       ({@code missing}, {@code ignore}).
 *   <li>ALARM at critical when at least M periods breach at critical, else at warning when at least
 *       M breach at warning (or critical), else OK; when no period has data, INSUFFICIENT_DATA
 *       ({@code missing}) or the state is kept ({@code ignore}). With {@code missing} or {@code
 *       ignore}, a window with fewer than M datapoints of which some breach keeps the state: it can
 *       neither reach M nor show that all is well. Unlike CloudWatch, which may look back beyond N
 *       periods when data is missing, the engine evaluates exactly N periods, so a partly empty
 *       window needs M breaching datapoints like a full one.
 * </ul>
 *
 * <p>Every change of state or severity yields an alert (also the quiet ones between OK and
 * INSUFFICIENT_DATA, which the incident stage needs for composite rules and drops before the
 * sinks); a critical ALARM that holds yields a {@code repeat} alert once the repeat interval has
 * passed since its last alert.
 */
public final class AlarmEvaluator {
    private AlarmEvaluator() {}

    /** A fresh state for {@code definition}. */
    public static AlarmState initialState(AlarmDefinition definition) {
        return AlarmState.initial(slots(definition), definition.toString());
    }

    static int slots(AlarmDefinition d) {
        return d.evaluationPeriods() + d.baselinePeriods() + 2;
    }

    /**
     * The period a point belongs to: its window end lies in {@code (p * period, (p+1) * period]}.
     */
    public static long periodOf(AlarmDefinition definition, long timestamp) {
        return Math.floorDiv(timestamp - 1, definition.periodMillis());
    }

    /** Event time at which period {@code p} closes. */
    public static long periodEnd(AlarmDefinition definition, long p) {
        return (p + 1) * definition.periodMillis();
    }

    /**
     * Adds {@code point} to its period. Returns false (and changes nothing) when the period was
     * already evaluated or is too old for the ring.
     */
    public static boolean record(AlarmDefinition d, AlarmState state, MetricPoint point) {
        if (!d.toString().equals(state.definition) || state.slotPeriod.length < slots(d)) {
            AlarmState fresh = initialState(d);
            // The definition changed between runs: start the history again, keep the state.
            state.slotPeriod = fresh.slotPeriod;
            state.slotValue = fresh.slotValue;
            state.slotCount = fresh.slotCount;
            state.slotLastTime = fresh.slotLastTime;
            state.slotLastValue = fresh.slotLastValue;
            state.definition = fresh.definition;
            state.evaluatedPeriod = AlarmState.NONE;
        }
        if (Double.isNaN(point.value)) {
            return false;
        }
        long p = periodOf(d, point.timestamp);
        if (state.evaluatedPeriod != AlarmState.NONE && p <= state.evaluatedPeriod) {
            return false;
        }
        int slot = (int) Math.floorMod(p, (long) state.slotPeriod.length);
        while (state.slotPeriod[slot] != p && isNeeded(d, state, state.slotPeriod[slot])) {
            // Several periods arrived before the watermark closed the oldest (a catch-up, or the
            // end of a bounded input): widen the ring rather than lose a period not yet evaluated.
            resize(state, state.slotPeriod.length * 2);
            slot = (int) Math.floorMod(p, (long) state.slotPeriod.length);
        }
        if (state.slotLastTime.length != state.slotPeriod.length) {
            // State from before corrections were replaced: remember from now on.
            state.slotLastTime = new long[state.slotPeriod.length];
            Arrays.fill(state.slotLastTime, AlarmState.NONE);
            state.slotLastValue = new double[state.slotPeriod.length];
        }
        if (state.slotPeriod[slot] != p) {
            state.slotPeriod[slot] = p;
            state.slotCount[slot] = 0;
            state.slotValue[slot] = 0;
            state.slotLastTime[slot] = AlarmState.NONE;
        }
        double v = point.value;
        long n = state.slotCount[slot];
        Statistic stat = d.statistic();
        if (n > 0 && state.slotLastTime[slot] == point.timestamp) {
            // A window corrected by late data, emitted again with its own timestamp: it replaces
            // the datapoint it corrects, so that a period is not counted twice.
            double corrected = state.slotLastValue[slot];
            if (stat == Statistic.MINIMUM || stat == Statistic.MAXIMUM) {
                state.slotValue[slot] =
                        n == 1
                                ? v
                                : stat == Statistic.MINIMUM
                                        ? Math.min(state.slotValue[slot], v)
                                        : Math.max(state.slotValue[slot], v);
            } else {
                state.slotValue[slot] += v - corrected;
            }
            state.slotLastValue[slot] = v;
            return true;
        }
        if (stat == Statistic.MINIMUM) {
            state.slotValue[slot] = n == 0 ? v : Math.min(state.slotValue[slot], v);
        } else if (stat == Statistic.MAXIMUM) {
            state.slotValue[slot] = n == 0 ? v : Math.max(state.slotValue[slot], v);
        } else {
            state.slotValue[slot] += v;
        }
        state.slotCount[slot] = n + 1;
        state.slotLastTime[slot] = point.timestamp;
        state.slotLastValue[slot] = v;
        if (state.firstPeriod == AlarmState.NONE || p < state.firstPeriod) {
            state.firstPeriod = p;
        }
        return true;
    }

    /**
     * Whether period {@code q} may still be read: it is not evaluated yet, or it lies in the N
     * periods or the baseline span of the next evaluation.
     */
    static boolean isNeeded(AlarmDefinition d, AlarmState state, long q) {
        if (q == AlarmState.NONE) {
            return false;
        }
        return state.evaluatedPeriod == AlarmState.NONE
                || q > state.evaluatedPeriod - d.evaluationPeriods() - d.baselinePeriods() + 1;
    }

    /**
     * Shrinks a ring that a backlog widened back to its normal size once the periods it still needs
     * fit, so that state stays constant in traffic.
     */
    public static void compact(AlarmDefinition d, AlarmState state) {
        int normal = slots(d);
        if (state.slotPeriod.length <= normal) {
            return;
        }
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (long q : state.slotPeriod) {
            if (isNeeded(d, state, q)) {
                lowest = Math.min(lowest, q);
                highest = Math.max(highest, q);
            }
        }
        int size = state.slotPeriod.length;
        while (size / 2 >= normal && (lowest == Long.MAX_VALUE || highest - lowest < size / 2)) {
            size /= 2;
        }
        if (size != state.slotPeriod.length) {
            resize(state, size);
        }
    }

    /** Re-slots the needed periods into a ring of {@code size}; the others are dropped. */
    private static void resize(AlarmState state, int size) {
        long[] periods = new long[size];
        Arrays.fill(periods, AlarmState.NONE);
        double[] values = new double[size];
        long[] counts = new long[size];
        long[] lastTimes = new long[size];
        Arrays.fill(lastTimes, AlarmState.NONE);
        double[] lastValues = new double[size];
        boolean known = state.slotLastTime.length == state.slotPeriod.length;
        for (int i = 0; i < state.slotPeriod.length; i++) {
            long q = state.slotPeriod[i];
            if (q == AlarmState.NONE) {
                continue;
            }
            int slot = (int) Math.floorMod(q, (long) size);
            if (periods[slot] == AlarmState.NONE || periods[slot] < q) {
                periods[slot] = q;
                values[slot] = state.slotValue[i];
                counts[slot] = state.slotCount[i];
                if (known) {
                    lastTimes[slot] = state.slotLastTime[i];
                    lastValues[slot] = state.slotLastValue[i];
                }
            }
        }
        state.slotPeriod = periods;
        state.slotValue = values;
        state.slotCount = counts;
        state.slotLastTime = lastTimes;
        state.slotLastValue = lastValues;
    }

    /** The statistic of period {@code p}, NaN when it has no datapoint. */
    static double periodValue(AlarmDefinition d, AlarmState state, long p) {
        int slot = (int) Math.floorMod(p, (long) state.slotPeriod.length);
        if (state.slotPeriod[slot] != p || state.slotCount[slot] == 0) {
            return Double.NaN;
        }
        switch (d.statistic()) {
            case AVERAGE:
                return state.slotValue[slot] / state.slotCount[slot];
            case SAMPLE_COUNT:
                return state.slotCount[slot];
            default:
                return state.slotValue[slot];
        }
    }

    /** The baseline of a relative threshold for a window ending with period {@code p}, or NaN. */
    static double baseline(AlarmDefinition d, AlarmState state, long p) {
        long newest = p - d.evaluationPeriods();
        double sum = 0;
        int n = 0;
        for (long q = newest - d.baselinePeriods() + 1; q <= newest; q++) {
            double v = periodValue(d, state, q);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n < d.baselineMinDatapoints() || n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The values the thresholds are compared with, oldest first (NaN for missing): the period
     * values, or their change in percent against the baseline.
     */
    static double[] evaluatedValues(AlarmDefinition d, AlarmState state, long p) {
        int n = d.evaluationPeriods();
        double[] values = new double[n];
        double base = d.isRelative() ? baseline(d, state, p) : Double.NaN;
        for (int i = 0; i < n; i++) {
            double v = periodValue(d, state, p - n + 1 + i);
            if (d.isRelative()) {
                v =
                        Double.isNaN(base) || base == 0
                                ? Double.NaN
                                : (v - base) / Math.abs(base) * 100.0;
            }
            values[i] = v;
        }
        return values;
    }

    /** Whether the window ending with period {@code p} (and its baseline) has no datapoint. */
    static boolean windowIsEmpty(AlarmDefinition d, AlarmState state, long p) {
        for (long q = p - d.evaluationPeriods() - d.baselinePeriods() + 1; q <= p; q++) {
            if (!Double.isNaN(periodValue(d, state, q))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Evaluates the window ending with period {@code p} (which must be newer than the last
     * evaluated one) and returns the alert it causes, if any.
     *
     * @param repeatMillis event time after which a critical ALARM that holds alerts again
     */
    public static Optional<Alert> evaluate(
            AlarmDefinition d,
            AlarmState state,
            long p,
            long repeatMillis,
            Map<String, String> dimensions) {
        state.evaluatedPeriod = p;
        double[] values = evaluatedValues(d, state, p);
        boolean hasCritical = !Double.isNaN(d.criticalThreshold());
        boolean hasWarning = !Double.isNaN(d.warningThreshold());
        int present = 0;
        int critical = 0;
        int warning = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                switch (d.treatMissingData()) {
                    case BREACHING:
                        present++;
                        critical += hasCritical ? 1 : 0;
                        warning++;
                        break;
                    case NOT_BREACHING:
                        present++;
                        break;
                    default:
                        break;
                }
                continue;
            }
            present++;
            boolean c = hasCritical && d.comparison().breaches(v, d.criticalThreshold());
            boolean w = c || (hasWarning && d.comparison().breaches(v, d.warningThreshold()));
            critical += c ? 1 : 0;
            warning += w ? 1 : 0;
        }
        int m = d.datapointsToAlarm();
        String newState;
        String newSeverity;
        if (critical >= m) {
            newState = AlarmState.ALARM;
            newSeverity = "critical";
        } else if (warning >= m) {
            newState = AlarmState.ALARM;
            newSeverity = "warning";
        } else if (present > 0
                && present < m
                && warning > 0
                && (d.treatMissingData() == TreatMissingData.MISSING
                        || d.treatMissingData() == TreatMissingData.IGNORE)) {
            // Too few datapoints to reach M, yet some breach: not proof of OK either.
            newState = state.state;
            newSeverity = state.severity;
        } else if (present > 0) {
            newState = AlarmState.OK;
            newSeverity = state.severity;
        } else if (d.treatMissingData() == TreatMissingData.IGNORE) {
            newState = state.state;
            newSeverity = state.severity;
        } else {
            newState = AlarmState.INSUFFICIENT_DATA;
            newSeverity = state.severity;
        }

        long end = periodEnd(d, p);
        String previousState = state.state;
        String previousSeverity = state.severity;
        boolean changed =
                !newState.equals(previousState)
                        || (AlarmState.ALARM.equals(newState)
                                && !newSeverity.equals(previousSeverity));
        if (AlarmState.ALARM.equals(newState) && !AlarmState.ALARM.equals(previousState)) {
            state.breachSincePeriod = firstBreachingPeriod(d, values, p);
        } else if (!AlarmState.ALARM.equals(newState)) {
            state.breachSincePeriod = AlarmState.NONE;
        }
        state.state = newState;
        state.severity = newSeverity;
        String notification;
        if (changed) {
            notification = notification(previousState, previousSeverity, newState, newSeverity);
        } else if (AlarmState.ALARM.equals(newState)
                && "critical".equals(newSeverity)
                && state.lastAlertTime != AlarmState.NONE
                && end - state.lastAlertTime >= repeatMillis) {
            notification = "repeat";
        } else {
            return Optional.empty();
        }
        if (!isQuiet(previousState, newState)) {
            state.lastAlertTime = end;
        }
        return Optional.of(
                alert(
                        d,
                        state,
                        p,
                        values,
                        previousState,
                        notification,
                        critical,
                        warning,
                        dimensions));
    }

    /** OK and INSUFFICIENT_DATA between themselves are bookkeeping, not news. */
    public static boolean isQuiet(String previousState, String newState) {
        return !AlarmState.ALARM.equals(previousState) && !AlarmState.ALARM.equals(newState);
    }

    private static String notification(
            String previousState, String previousSeverity, String newState, String newSeverity) {
        if (AlarmState.ALARM.equals(newState)) {
            if (!AlarmState.ALARM.equals(previousState)) {
                return "raised";
            }
            return "critical".equals(newSeverity) ? "escalated" : "de-escalated";
        }
        if (AlarmState.OK.equals(newState)) {
            return AlarmState.ALARM.equals(previousState) ? "resolved" : "data-back";
        }
        return "no-data";
    }

    private static long firstBreachingPeriod(AlarmDefinition d, double[] values, long p) {
        int n = values.length;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            boolean breach =
                    Double.isNaN(v)
                            ? d.treatMissingData() == TreatMissingData.BREACHING
                            : breaches(d, v);
            if (breach) {
                return p - n + 1 + i;
            }
        }
        return p;
    }

    private static boolean breaches(AlarmDefinition d, double v) {
        return (!Double.isNaN(d.warningThreshold())
                        && d.comparison().breaches(v, d.warningThreshold()))
                || (!Double.isNaN(d.criticalThreshold())
                        && d.comparison().breaches(v, d.criticalThreshold()));
    }

    /**
     * The action of a raised alarm. {@code rollback_model} is asked for only when the breach began
     * with a new model version: the series has a ModelVersion and its first breaching period lies
     * within the alarm's N periods of the version's first datapoint (the version was bad from the
     * moment it appeared, rather than a good version that went bad, which a rollback would not
     * cure). Otherwise no action.
     */
    static String action(AlarmDefinition d, AlarmState state, Map<String, String> dimensions) {
        if (!AlarmState.ALARM.equals(state.state)) {
            return "none";
        }
        String action = d.actionAt(state.severity);
        if (!"rollback_model".equals(action)) {
            return action;
        }
        boolean newVersion =
                dimensions.containsKey(MetricNames.MODEL_VERSION)
                        && state.firstPeriod != AlarmState.NONE
                        && state.breachSincePeriod != AlarmState.NONE
                        && state.breachSincePeriod - state.firstPeriod < d.evaluationPeriods();
        return newVersion ? "rollback_model" : "none";
    }

    /** The deduplication key of an alarm's series: stable for its whole life. */
    public static String deduplicationKey(
            String alarmName, String metric, Map<String, String> dims) {
        return alarmName + "/" + metric + new TreeMap<>(dims);
    }

    private static Alert alert(
            AlarmDefinition d,
            AlarmState state,
            long p,
            double[] values,
            String previousState,
            String notification,
            int critical,
            int warning,
            Map<String, String> dimensions) {
        Alert a = new Alert();
        a.alarmName = d.name();
        a.severity =
                state.severity == null
                        ? (Double.isNaN(d.warningThreshold()) ? "critical" : "warning")
                        : state.severity;
        a.state = state.state;
        a.previousState = previousState;
        a.notification = notification;
        a.metric = d.metric();
        a.dimensions = new TreeMap<>(dimensions);
        a.modelVersion = dimensions.get(MetricNames.MODEL_VERSION);
        a.recentValues = Arrays.copyOf(values, values.length);
        a.value = latest(values);
        String thresholdSeverity =
                AlarmState.ALARM.equals(state.state)
                        ? state.severity
                        : (Double.isNaN(d.warningThreshold()) ? "critical" : "warning");
        a.threshold = d.threshold(thresholdSeverity);
        // The level this alert is about: the one crossed, or the one a resolve went back under.
        a.summary = d.description(thresholdSeverity);
        a.time = periodEnd(d, p);
        a.route = d.routeAt(a.severity);
        a.priority = d.priority(a.severity);
        a.action = action(d, state, dimensions);
        a.kind = d.kind();
        a.runbook = new ArrayList<>(Playbooks.steps(d.kind()));
        a.deduplicationKey = deduplicationKey(d.name(), d.metric(), dimensions);
        a.reason = reason(d, a, critical, warning);
        return a;
    }

    private static double latest(double[] values) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (!Double.isNaN(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    private static String reason(AlarmDefinition d, Alert a, int critical, int warning) {
        String what =
                d.isRelative()
                        ? d.metric()
                                + " change in % against its mean over the previous "
                                + d.baselineMillis() / 3_600_000.0
                                + " h"
                        : d.statistic().cloudWatchName() + " of " + d.metric();
        String periods =
                " of the last "
                        + d.evaluationPeriods()
                        + " periods of "
                        + d.periodMillis() / 1000
                        + " s";
        if (AlarmState.ALARM.equals(a.state)) {
            return String.format(
                    Locale.ROOT,
                    "%s: %s %s %s in %d%s (latest %s; missing data: %s)",
                    a.summary,
                    what,
                    d.comparison().symbol(),
                    fmt(a.threshold),
                    "critical".equals(a.severity) ? critical : warning,
                    periods,
                    fmt(a.value),
                    d.treatMissingData().cloudWatchName());
        }
        if (AlarmState.OK.equals(a.state)) {
            return String.format(
                    Locale.ROOT,
                    "Resolved: %s breached %s %s in fewer than %d%s (latest %s)",
                    what,
                    d.comparison().symbol(),
                    fmt(a.threshold),
                    d.datapointsToAlarm(),
                    periods,
                    fmt(a.value));
        }
        return "No data for " + d.metric() + " in any" + periods;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "none";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
