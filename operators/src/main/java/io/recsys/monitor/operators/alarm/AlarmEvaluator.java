package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmAggregates;
import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.LowSamplePercentiles;
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
 *       Without enough baseline datapoints the periods count as missing. With a seasonal threshold
 *       each period is turned into its distance, in robust standard deviations, from the median of
 *       the same period of previous weeks or days ({@link SeasonalHistory}); in warm-up, from the
 *       trailing mean in the trailing standard deviation.
 *   <li>A period breaches at critical (warning) when its value breaches the critical (warning)
 *       threshold; when its datapoints carry evidence, by the metric's {@link MetricEvidence} rule
 *       instead: a percentile period with too few samples is insufficient (unless the alarm
 *       evaluates low samples), a proportion or mean period breaches only when its whole confidence
 *       interval lies beyond the threshold, counts as good only when it lies wholly on the good
 *       side, and is insufficient otherwise. An insufficient period counts like a missing one under
 *       {@code ignore}: not towards M, not as good; a window of only insufficient periods keeps the
 *       state. A period without data is treated as {@link TreatMissingData} says: {@code breaching}
 *       (at the worst level the alarm has), {@code notBreaching}, or not considered ({@code
 *       missing}, {@code ignore}).
 *   <li>ALARM at critical when at least M periods breach at critical, else at warning when at least
 *       M breach at warning (or critical), else OK; when no period has data, INSUFFICIENT_DATA
 *       ({@code missing}) or the state is kept ({@code ignore}). With {@code missing} or {@code
 *       ignore}, a window with fewer than M datapoints of which some breach keeps the state: it can
 *       neither reach M nor show that all is well. Unlike CloudWatch, which may look back beyond N
 *       periods when data is missing, the engine evaluates exactly N periods, so a partly empty
 *       window needs M breaching datapoints like a full one.
 * </ul>
 *
 * <p>Leaving ALARM (or critical) is slower than entering it: {@link AlarmHysteresis} holds the
 * state until ok-periods good periods. A series that still changes state more than flap-transitions
 * times in the flap span sends one {@code flapping} alert and holds its news until it is stable
 * ({@link FlapDetector}).
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
        if (!d.toString().equals(state.definition)
                && sameAggregates(d, state.definition)
                && state.slotPeriod.length >= slots(d)) {
            // New thresholds or comparison, or a threshold turned seasonal: the periods hold the
            // same aggregates, so the history carries on under the new definition.
            state.definition = d.toString();
        }
        if (!d.toString().equals(state.definition) || state.slotPeriod.length < slots(d)) {
            AlarmState fresh = initialState(d);
            // The definition changed between runs: start the history again, keep the state.
            state.takeRing(fresh);
            state.definition = fresh.definition;
            state.evaluatedPeriod = AlarmState.NONE;
            state.seasonalValues = new double[0];
            state.seasonalNewest = AlarmState.NONE;
        }
        if (Double.isNaN(point.value)) {
            return false;
        }
        long p = periodOf(d, point.timestamp);
        if (state.evaluatedPeriod != AlarmState.NONE && p <= state.evaluatedPeriod) {
            return false;
        }
        state.upgrade();
        int slot = (int) Math.floorMod(p, (long) state.slotPeriod.length);
        while (state.slotPeriod[slot] != p && isNeeded(d, state, state.slotPeriod[slot])) {
            // Several periods arrived before the watermark closed the oldest (a catch-up, or the
            // end of a bounded input): widen the ring rather than lose a period not yet evaluated.
            resize(state, state.slotPeriod.length * 2);
            slot = (int) Math.floorMod(p, (long) state.slotPeriod.length);
        }
        if (state.slotPeriod[slot] != p) {
            state.slotPeriod[slot] = p;
            state.slotCount[slot] = 0;
            state.slotValue[slot] = 0;
            state.slotLastTime[slot] = AlarmState.NONE;
            state.slotSamples[slot] = 0;
            state.slotSampleSum[slot] = 0;
            state.slotSampleSquares[slot] = 0;
            state.slotLastSamples[slot] = 0;
            state.slotLastStdDev[slot] = Double.NaN;
        }
        double v = point.value;
        long n = state.slotCount[slot];
        // A window corrected by late data, emitted again with its own timestamp: it replaces the
        // datapoint it corrects, so that a period is not counted twice.
        boolean correction = n > 0 && state.slotLastTime[slot] == point.timestamp;
        double corrected = correction ? state.slotLastValue[slot] : 0;
        Statistic stat = d.statistic();
        if (stat == Statistic.MINIMUM || stat == Statistic.MAXIMUM) {
            boolean only = n == (correction ? 1 : 0);
            state.slotValue[slot] =
                    only
                            ? v
                            : stat == Statistic.MINIMUM
                                    ? Math.min(state.slotValue[slot], v)
                                    : Math.max(state.slotValue[slot], v);
        } else {
            state.slotValue[slot] += v - corrected;
        }
        state.slotLastValue[slot] = v;
        poolEvidence(state, slot, point, correction, corrected);
        if (correction) {
            return true;
        }
        state.slotCount[slot] = n + 1;
        state.slotLastTime[slot] = point.timestamp;
        if (state.firstPeriod == AlarmState.NONE || p < state.firstPeriod) {
            state.firstPeriod = p;
        }
        return true;
    }

    /**
     * Whether a ring sized for the definition written {@code was} ({@link
     * AlarmDefinition#toString}) holds what {@code d} needs: the same statistic of the same metric
     * over the same period and N ({@link AlarmAggregates}).
     */
    static boolean sameAggregates(AlarmDefinition d, String was) {
        return AlarmAggregates.parse(was).map(AlarmAggregates.of(d)::equals).orElse(false);
    }

    /**
     * Pools the evidence of {@code point} into its slot; a correction first takes out that of the
     * slot's last datapoint, which it replaces (valued {@code corrected}).
     */
    private static void poolEvidence(
            AlarmState state, int slot, MetricPoint point, boolean correction, double corrected) {
        long oldSamples = correction ? state.slotLastSamples[slot] : 0;
        double oldStdDev = state.slotLastStdDev[slot];
        state.slotLastSamples[slot] = point.samples;
        state.slotLastStdDev[slot] = point.sampleStdDev;
        if (state.slotSamples[slot] == AlarmState.NO_EVIDENCE) {
            return;
        }
        if (point.samples <= 0 || (correction && oldSamples <= 0)) {
            // One datapoint without evidence leaves the whole period to be compared by value.
            state.slotSamples[slot] = AlarmState.NO_EVIDENCE;
            return;
        }
        state.slotSamples[slot] += point.samples - oldSamples;
        state.slotSampleSum[slot] += point.value * point.samples - corrected * oldSamples;
        state.slotSampleSquares[slot] +=
                sumOfSquares(point.value, point.samples, point.sampleStdDev)
                        - (correction ? sumOfSquares(corrected, oldSamples, oldStdDev) : 0);
    }

    /**
     * The sum of squares of {@code n} samples with this mean and sample standard deviation, (n - 1)
     * sd^2 + n mean^2; NaN when the standard deviation is unknown (except for one sample).
     */
    static double sumOfSquares(double mean, long n, double sd) {
        if (n == 1) {
            return mean * mean;
        }
        return sd >= 0 && Double.isFinite(sd) ? (n - 1) * sd * sd + n * mean * mean : Double.NaN;
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
        state.upgrade();
        AlarmState ring = AlarmState.initial(size, state.definition);
        for (int i = 0; i < state.slotPeriod.length; i++) {
            long q = state.slotPeriod[i];
            int slot = (int) Math.floorMod(q, (long) size);
            if (q == AlarmState.NONE
                    || (ring.slotPeriod[slot] != AlarmState.NONE && ring.slotPeriod[slot] >= q)) {
                continue;
            }
            ring.slotPeriod[slot] = q;
            ring.slotValue[slot] = state.slotValue[i];
            ring.slotCount[slot] = state.slotCount[i];
            ring.slotLastTime[slot] = state.slotLastTime[i];
            ring.slotLastValue[slot] = state.slotLastValue[i];
            ring.slotSamples[slot] = state.slotSamples[i];
            ring.slotSampleSum[slot] = state.slotSampleSum[i];
            ring.slotSampleSquares[slot] = state.slotSampleSquares[i];
            ring.slotLastSamples[slot] = state.slotLastSamples[i];
            ring.slotLastStdDev[slot] = state.slotLastStdDev[i];
        }
        state.takeRing(ring);
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

    /**
     * The trailing baseline of a relative threshold for a window ending with period {@code p}: the
     * mean of the period values in the baseline span before the N periods, as a percent change
     * against it; for a seasonal alarm in warm-up, with the span's robust standard deviation
     * (1.4826 x the median absolute deviation, at least the band floor) as the scale, so that the
     * few periods of a drop that entered the span do not widen the band that watches it. Unknown
     * with fewer datapoints than the alarm needs.
     */
    static Baseline trailingBaseline(AlarmDefinition d, AlarmState state, long p) {
        long newest = p - d.evaluationPeriods();
        double[] values = new double[d.baselinePeriods()];
        double sum = 0;
        int n = 0;
        for (long q = newest - d.baselinePeriods() + 1; q <= newest; q++) {
            double v = periodValue(d, state, q);
            if (!Double.isNaN(v)) {
                sum += v;
                values[n++] = v;
            }
        }
        boolean enough = n >= d.baselineMinDatapoints() && n > 0;
        double mean = enough ? sum / n : Double.NaN;
        if (!d.isSeasonal()) {
            return Baseline.percentOf(mean, n);
        }
        double spread = enough ? SeasonalHistory.robustSpread(Arrays.copyOf(values, n)) : 0;
        double floor = Math.abs(mean) * d.bandFloorPercent() / 100.0;
        return new Baseline(mean, Math.max(spread, floor), Baseline.Source.TRAILING_FALLBACK, n);
    }

    /**
     * The baselines of the N periods ending with {@code p}, oldest first: the trailing one for
     * each, or each period's own seasonal band. NONE for an absolute threshold.
     */
    static Baseline[] baselines(AlarmDefinition d, AlarmState state, long p) {
        int n = d.evaluationPeriods();
        Baseline[] baselines = new Baseline[n];
        Baseline trailing = d.isRelative() ? trailingBaseline(d, state, p) : Baseline.NONE;
        for (int i = 0; i < n; i++) {
            baselines[i] =
                    d.isSeasonal()
                            ? SeasonalHistory.baseline(d, state, p - n + 1 + i, trailing)
                            : trailing;
        }
        return baselines;
    }

    static double[] evaluatedValues(AlarmDefinition d, AlarmState state, long p) {
        return evaluatedValues(d, state, p, baselines(d, state, p));
    }

    /**
     * The values the thresholds are compared with, oldest first (NaN for missing): the period
     * values, or their distance from their baseline (percent change, or deviations of a band).
     */
    static double[] evaluatedValues(
            AlarmDefinition d, AlarmState state, long p, Baseline[] baselines) {
        int n = d.evaluationPeriods();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double v = periodValue(d, state, p - n + 1 + i);
            values[i] = d.isRelative() ? baselines[i].relative(v) : v;
        }
        return values;
    }

    static PeriodVerdict[] periodVerdicts(
            AlarmDefinition d, AlarmState state, long p, double[] values) {
        return periodVerdicts(d, state, p, values, baselines(d, state, p));
    }

    /**
     * The verdicts of the N periods ending with {@code p}, oldest first, for the {@code values} of
     * {@link #evaluatedValues}. By the metric's {@link MetricEvidence}: a percentile period with
     * fewer samples than it needs is insufficient (unless the alarm evaluates low samples); a
     * proportion or mean period is judged by its confidence interval at the alarm's confidence,
     * against the absolute level of the threshold (base x (1 + t / 100) for a relative one).
     * Periods without evidence, alarms with confidence 0 and statistics other than Average are
     * compared by value.
     */
    static PeriodVerdict[] periodVerdicts(
            AlarmDefinition d, AlarmState state, long p, double[] values, Baseline[] baselines) {
        int n = values.length;
        PeriodVerdict[] verdicts = new PeriodVerdict[n];
        for (int i = 0; i < n; i++) {
            verdicts[i] = periodVerdict(d, state, p - n + 1 + i, values[i], baselines[i]);
        }
        return verdicts;
    }

    static PeriodVerdict periodVerdict(
            AlarmDefinition d, AlarmState state, long q, double value, Baseline base) {
        if (Double.isNaN(value)) {
            return PeriodVerdict.missing(d);
        }
        MetricEvidence evidence = MetricEvidence.of(d.metric());
        long samples = pooledSamples(state, q);
        switch (evidence.kind()) {
            case PERCENTILE:
                if (samples > 0
                        && samples < evidence.minimumSamples()
                        && d.lowSamplePercentiles() == LowSamplePercentiles.IGNORE) {
                    return PeriodVerdict.insufficient(
                            String.format(
                                    Locale.ROOT,
                                    "%d samples, p%s needs %d",
                                    samples,
                                    ConfidenceInterval.percent(evidence.percentile()),
                                    evidence.minimumSamples()));
                }
                break;
            case PROPORTION:
            case MEAN:
                if (samples > 0 && d.usesIntervals() && d.statistic() == Statistic.AVERAGE) {
                    return intervalVerdict(d, state, q, evidence.kind(), samples, base);
                }
                break;
            default:
                break;
        }
        return byValue(d, value, d.criticalThreshold(), d.warningThreshold());
    }

    /** A present period compared by its value with the critical and warning levels. */
    private static PeriodVerdict byValue(
            AlarmDefinition d, double v, double criticalLevel, double warningLevel) {
        return PeriodVerdict.present(
                breachesAt(d, v, criticalLevel), breachesAt(d, v, warningLevel), null);
    }

    private static PeriodVerdict intervalVerdict(
            AlarmDefinition d,
            AlarmState state,
            long q,
            MetricEvidence.Kind kind,
            long samples,
            Baseline base) {
        int slot = (int) Math.floorMod(q, (long) state.slotPeriod.length);
        double sum = state.slotSampleSum[slot];
        double estimate = sum / samples;
        double criticalLevel = levelOf(d, d.criticalThreshold(), base);
        double warningLevel = levelOf(d, d.warningThreshold(), base);
        ConfidenceInterval ci;
        if (kind == MetricEvidence.Kind.PROPORTION) {
            // Values are in percent: the successes are sum(value x trials) / 100.
            ci = ConfidenceInterval.wilson(sum / 100, samples, d.confidence()).scaled(100);
        } else {
            double squares = state.slotSampleSquares[slot];
            if (Double.isNaN(squares)) {
                // A mean without its spread has no interval: compared by value.
                return byValue(d, estimate, criticalLevel, warningLevel);
            }
            if (samples < 2) {
                return PeriodVerdict.insufficient("1 sample: no interval for a mean");
            }
            double variance = Math.max(0, (squares - sum * estimate) / (samples - 1));
            ci =
                    ConfidenceInterval.studentT(
                            samples, estimate, Math.sqrt(variance), d.confidence());
        }
        String why = ci + " of " + samples + " samples";
        boolean c = wholly(d, ci, criticalLevel);
        boolean w = wholly(d, ci, warningLevel);
        if (c || w) {
            return PeriodVerdict.present(c, w, why);
        }
        // Raising needs proof; clearing needs only the estimate on the good side. Asking for proof
        // of health too would keep an alarm raised at low traffic for ever (0 errors in 240
        // requests has a 95 % upper bound of 1.6 %, never clear of a 1 % level), and hysteresis
        // (ok-periods) already stops a noisy estimate from resolving it early.
        double good = Double.isNaN(warningLevel) ? criticalLevel : warningLevel;
        return breachesAt(d, estimate, good)
                ? PeriodVerdict.insufficient(why + " straddles " + fmt(good))
                : PeriodVerdict.present(false, false, why);
    }

    /** The pooled samples of period {@code q}: 0 or NO_EVIDENCE when there is no evidence. */
    private static long pooledSamples(AlarmState state, long q) {
        if (!state.hasEvidence()) {
            return AlarmState.NO_EVIDENCE;
        }
        int slot = (int) Math.floorMod(q, (long) state.slotPeriod.length);
        return state.slotPeriod[slot] == q ? state.slotSamples[slot] : AlarmState.NO_EVIDENCE;
    }

    /**
     * The absolute level of threshold {@code t}: t itself, or for a relative threshold the value
     * whose distance from {@code base} is t (percent, or deviations of a band). NaN for an absent
     * threshold.
     */
    static double levelOf(AlarmDefinition d, double t, Baseline base) {
        if (Double.isNaN(t) || !d.isRelative()) {
            return t;
        }
        return base.level(t);
    }

    /** {@link #levelOf(AlarmDefinition, double, Baseline)} for a percent change against a mean. */
    static double levelOf(AlarmDefinition d, double t, double mean) {
        return levelOf(d, t, Baseline.percentOf(mean, 1));
    }

    /** Whether the whole interval lies beyond {@code level} on the bad side. */
    private static boolean wholly(AlarmDefinition d, ConfidenceInterval ci, double level) {
        return !Double.isNaN(level)
                && d.comparison().breaches(ci.low(), level)
                && d.comparison().breaches(ci.high(), level);
    }

    private static boolean breachesAt(AlarmDefinition d, double v, double threshold) {
        return !Double.isNaN(threshold) && d.comparison().breaches(v, threshold);
    }

    /** The evidence of the newest period that has some, for the alert's reason; "" if none. */
    static String evidenceNote(PeriodVerdict[] verdicts) {
        for (int i = verdicts.length - 1; i >= 0; i--) {
            PeriodVerdict v = verdicts[i];
            if (v.isMissing()) {
                continue;
            }
            return v.evidence() == null ? "" : " [newest period: " + v.evidence() + ", " + v + "]";
        }
        return "";
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
        long skipped = state.evaluatedPeriod == AlarmState.NONE ? 0 : p - state.evaluatedPeriod - 1;
        state.evaluatedPeriod = p;
        Baseline[] baselines = baselines(d, state, p);
        double[] values = evaluatedValues(d, state, p, baselines);
        PeriodVerdict[] verdicts = periodVerdicts(d, state, p, values, baselines);
        if (d.isSeasonal()) {
            SeasonalHistory.record(d, state, p, periodValue(d, state, p));
        }
        int present = 0;
        int critical = 0;
        int warning = 0;
        // Periods whose evidence says nothing: counted neither as breaching nor as good.
        int insufficient = 0;
        // A missing period counts at the level treat-missing-data gives it (PeriodVerdict).
        for (PeriodVerdict v : verdicts) {
            PeriodVerdict.Level level = v.level();
            if (v.isInsufficient()) {
                insufficient++;
            } else if (level != PeriodVerdict.Level.SILENT) {
                present++;
                warning += level == PeriodVerdict.Level.GOOD ? 0 : 1;
                critical += level == PeriodVerdict.Level.CRITICAL ? 1 : 0;
            }
        }
        int m = d.datapointsToAlarm();
        // Too few datapoints to reach M, yet some breach: not proof of OK either.
        boolean unproven =
                present < m
                        && warning > 0
                        && (d.treatMissingData() == TreatMissingData.MISSING
                                || d.treatMissingData() == TreatMissingData.IGNORE
                                || insufficient > 0);
        String newState = state.state;
        String newSeverity = state.severity;
        if (warning >= m) {
            newState = AlarmState.ALARM;
            newSeverity = critical >= m ? "critical" : "warning";
        } else if (present > 0 && !unproven) {
            newState = AlarmState.OK;
        } else if (present == 0
                && d.treatMissingData() != TreatMissingData.IGNORE
                && insufficient == 0) {
            newState = AlarmState.INSUFFICIENT_DATA;
        }
        // Otherwise the state holds: unproven, or nothing to go by (an insufficient period counts
        // like a missing one under ignore).
        // Leaving ALARM or critical is slower than entering (AlarmHysteresis).
        AlarmHysteresis.countSkipped(d, state, skipped);
        AlarmHysteresis.count(d, state, verdicts[verdicts.length - 1]);
        String previousState = state.state;
        String previousSeverity = state.severity;
        AlarmHysteresis.decide(d, state, newState, newSeverity);
        newState = state.state;
        newSeverity = state.severity;

        long end = periodEnd(d, p);
        boolean changed = differs(previousState, previousSeverity, newState, newSeverity);
        if (AlarmState.ALARM.equals(newState) && !AlarmState.ALARM.equals(previousState)) {
            state.breachSincePeriod = firstBreachingPeriod(d, values, p);
        } else if (!AlarmState.ALARM.equals(newState)) {
            state.breachSincePeriod = AlarmState.NONE;
        }
        boolean news = changed && !isQuiet(previousState, newState);
        if (news) {
            FlapDetector.recordTransition(d, state, end);
        }
        String notification;
        String suffix = "";
        if (state.flapping) {
            // News is held (FlapDetector): tell the settled state once stable, and keep the
            // quiet OK/INSUFFICIENT_DATA bookkeeping flowing while people were told no ALARM.
            String told = state.toldState;
            String toldSeverity = state.toldSeverity;
            boolean differs = differs(told, toldSeverity, newState, newSeverity);
            if (FlapDetector.isStable(d, state, end)) {
                suffix = FlapDetector.settledNote(d, state, end);
                FlapDetector.endHold(state);
                if (!differs) {
                    return Optional.empty();
                }
            } else if (!differs || !isQuiet(told, newState)) {
                return Optional.empty();
            } else {
                state.toldState = newState;
                state.toldSeverity = newSeverity;
            }
            previousState = told;
            notification = notification(told, newState, newSeverity);
        } else if (news && FlapDetector.exceedsLimit(d, state, end)) {
            FlapDetector.startHold(state, end);
            notification = "flapping";
        } else if (changed) {
            notification = notification(previousState, newState, newSeverity);
        } else if (AlarmState.ALARM.equals(newState)
                && "critical".equals(newSeverity)
                && state.lastAlertTime != AlarmState.NONE
                && end - state.lastAlertTime >= repeatMillis) {
            notification = "repeat";
        } else {
            return Optional.empty();
        }
        if (!isQuiet(previousState, newState) || "flapping".equals(notification)) {
            state.lastAlertTime = end;
        }
        int breaching = "critical".equals(newSeverity) ? critical : warning;
        Baseline newest = baselines[baselines.length - 1];
        Alert a =
                alert(
                        d,
                        state,
                        p,
                        values,
                        newest,
                        previousState,
                        notification,
                        breaching,
                        dimensions);
        if ("flapping".equals(notification)) {
            a.reason = FlapDetector.flappingReason(d, state, end);
        } else {
            a.reason += evidenceNote(verdicts) + suffix;
        }
        return Optional.of(a);
    }

    /** Whether the new state, or the severity of an ALARM, is not the one before. */
    private static boolean differs(
            String state, String severity, String newState, String newSeverity) {
        return !newState.equals(state)
                || (AlarmState.ALARM.equals(newState) && !newSeverity.equals(severity));
    }

    /** OK and INSUFFICIENT_DATA between themselves are bookkeeping, not news. */
    public static boolean isQuiet(String previousState, String newState) {
        return !AlarmState.ALARM.equals(previousState) && !AlarmState.ALARM.equals(newState);
    }

    private static String notification(String previousState, String newState, String newSeverity) {
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
                            : breachesAt(d, v, d.warningThreshold())
                                    || breachesAt(d, v, d.criticalThreshold());
            if (breach) {
                return p - n + 1 + i;
            }
        }
        return p;
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
            Baseline baseline,
            String previousState,
            String notification,
            int breaching,
            Map<String, String> dimensions) {
        // Before its first ALARM a series is at the alarm's lowest level.
        String lowest = Double.isNaN(d.warningThreshold()) ? "critical" : "warning";
        Alert a = new Alert();
        a.alarmName = d.name();
        a.severity = state.severity == null ? lowest : state.severity;
        a.state = state.state;
        a.previousState = previousState;
        a.notification = notification;
        a.metric = d.metric();
        a.dimensions = new TreeMap<>(dimensions);
        a.modelVersion = dimensions.get(MetricNames.MODEL_VERSION);
        a.recentValues = Arrays.copyOf(values, values.length);
        a.value = latest(values);
        String thresholdSeverity = AlarmState.ALARM.equals(state.state) ? state.severity : lowest;
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
        a.reason = reason(d, a, baseline, breaching);
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

    /** The reason of alert {@code a}; {@code breaching}: the periods breaching at its level. */
    private static String reason(AlarmDefinition d, Alert a, Baseline baseline, int breaching) {
        String what =
                d.isRelative()
                        ? baseline.describe(d.metric(), d.baselineMillis() / 3_600_000.0)
                        : d.statistic().cloudWatchName() + " of " + d.metric();
        if (d.isSeasonal() && baseline.isKnown()) {
            what +=
                    String.format(
                            Locale.ROOT,
                            ", centre %s, deviation %s",
                            fmt(baseline.centre),
                            fmt(baseline.scale));
        }
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
                    breaching,
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
