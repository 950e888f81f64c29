package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.model.DimensionsTypeInfo;
import java.util.Arrays;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What one alarm remembers about one series, as Flink state: the per-period aggregates of the
 * periods it still needs (the N evaluated ones, the baseline span of a relative threshold, and the
 * period in progress), the current state and severity, and the bookkeeping of notifications.
 *
 * <p>The periods sit in a ring indexed by period number modulo its size; each slot records which
 * period it holds, so a point of a period that is not yet evaluated never overwrites one that still
 * is. Size: 10 arrays of {@code N + baseline + 2} slots plus a few fields, about 80 bytes per slot
 * and 100 bytes besides, plus a ring of flap-transitions + 1 transition times (8 bytes each), plus
 * for a seasonal alarm its {@link SeasonalHistory} (8 bytes a period of 4 weeks: 5,384 bytes for
 * hourly periods).
 */
public class AlarmState {
    public static final String OK = "OK";
    public static final String ALARM = "ALARM";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    /** Sentinel of "none yet" for period numbers and times. */
    public static final long NONE = Long.MIN_VALUE;

    /** Pooled samples of a period with a datapoint that carried none: compared by value. */
    public static final long NO_EVIDENCE = -1;

    /** The period each slot holds ({@code floor((timestamp - 1) / period)}), NONE if empty. */
    public long[] slotPeriod = new long[0];

    /** Sum (Average, Sum, SampleCount), minimum or maximum of the slot's datapoints. */
    public double[] slotValue = new double[0];

    public long[] slotCount = new long[0];

    /** The newest period evaluated, NONE before the first evaluation. */
    public long evaluatedPeriod = NONE;

    /** The first period with a datapoint: when the series (e.g. a model version) appeared. */
    public long firstPeriod = NONE;

    /** The first period of the current ALARM, NONE when not in ALARM. */
    public long breachSincePeriod = NONE;

    public String state = INSUFFICIENT_DATA;

    /** warning or critical while in ALARM; the last alarm severity otherwise (may be null). */
    public String severity;

    /** Event time of the last alert of this alarm and series that was not quiet, epoch ms. */
    public long lastAlertTime = NONE;

    /** The dimensions of the series, for the alerts. */
    @TypeInfo(DimensionsTypeInfo.Factory.class)
    public TreeMap<String, String> dimensions = new TreeMap<>();

    /**
     * Per slot, the timestamp and value of the datapoint added last: a corrected window comes again
     * with the same timestamp and replaces it instead of adding a second datapoint. Empty in state
     * written before corrections were replaced; filled from the next datapoint on.
     */
    public long[] slotLastTime = new long[0];

    public double[] slotLastValue = new double[0];

    /**
     * Per slot, the pooled evidence of the period's datapoints (see {@code MetricPoint.samples}):
     * the samples (trials) in all, NO_EVIDENCE when a datapoint came without; the sum of value x
     * samples (the successes of a proportion in percent x 100, the sum of a mean's samples); and
     * the sum of squares of a mean's samples (NaN when a datapoint had no standard deviation).
     * Empty in state written before evidence was kept: the periods then held are compared by value.
     */
    public long[] slotSamples = new long[0];

    public double[] slotSampleSum = new double[0];

    public double[] slotSampleSquares = new double[0];

    /**
     * Per slot, the samples and standard deviation of the datapoint added last, so that a corrected
     * window replaces its evidence as well as its value.
     */
    public long[] slotLastSamples = new long[0];

    public double[] slotLastStdDev = new double[0];

    /** The definition the ring was sized for; a changed definition starts the history again. */
    public String definition;

    // Hysteresis and flap detection (AlarmHysteresis, FlapDetector). State written before they
    // existed restores these fields absent: counters at 0 (a resolve waits ok-periods more good
    // periods at most), no ring yet (created at the first transition), no hold.

    /** Consecutive good periods up to the evaluated one, capped at ok-periods. */
    public int goodPeriods;

    /** Consecutive periods without a critical breach up to the evaluated one, capped likewise. */
    public int periodsBelowCritical;

    /** Event times of the last flap-transitions + 1 news transitions, a ring; NONE if empty. */
    public long[] transitionTimes = new long[0];

    /** News transitions recorded so far; the ring's next slot is this modulo its size. */
    public long transitionCount;

    /** Event time of the newest news transition, NONE before any. */
    public long lastTransitionTime = NONE;

    /** Whether the series is flapping and news is held. */
    public boolean flapping;

    /** Event time of the flapping notification while news is held, NONE otherwise. */
    public long flappingSince = NONE;

    /** The state and severity people were last told, while news is held (null otherwise). */
    public String toldState;

    public String toldSeverity;

    // Seasonal history (SeasonalHistory). State written before seasonal alarms restores these
    // absent: the history starts with the next evaluated period (the warm-up).

    /** A seasonal alarm's period values of the last 4 weeks, a ring; NaN for none. */
    public double[] seasonalValues = new double[0];

    /** The newest period in {@link #seasonalValues}, NONE before any. */
    public long seasonalNewest = NONE;

    public AlarmState() {}

    /** Whether the evidence arrays match the ring (false in state from before evidence). */
    boolean hasEvidence() {
        return slotSamples.length == slotPeriod.length
                && slotSampleSum.length == slotPeriod.length
                && slotSampleSquares.length == slotPeriod.length
                && slotLastSamples.length == slotPeriod.length
                && slotLastStdDev.length == slotPeriod.length;
    }

    /**
     * Brings state written by an earlier release, whose ring lacks the arrays of corrections or of
     * evidence, to this release's shape: the missing arrays are sized to the ring. Corrections are
     * remembered from now on; a period already holding datapoints has no known evidence and keeps
     * being compared by value.
     */
    void upgrade() {
        int n = slotPeriod.length;
        if (slotLastTime.length != n) {
            slotLastTime = new long[n];
            Arrays.fill(slotLastTime, NONE);
            slotLastValue = new double[n];
        }
        if (hasEvidence()) {
            return;
        }
        slotSamples = new long[n];
        slotSampleSum = new double[n];
        slotSampleSquares = new double[n];
        slotLastSamples = new long[n];
        slotLastStdDev = new double[n];
        for (int i = 0; i < n; i++) {
            if (slotPeriod[i] != NONE && slotCount.length == n && slotCount[i] > 0) {
                slotSamples[i] = NO_EVIDENCE;
            }
        }
    }

    /** Takes over the ring of {@code other}: every per-slot array. */
    void takeRing(AlarmState other) {
        slotPeriod = other.slotPeriod;
        slotValue = other.slotValue;
        slotCount = other.slotCount;
        slotLastTime = other.slotLastTime;
        slotLastValue = other.slotLastValue;
        slotSamples = other.slotSamples;
        slotSampleSum = other.slotSampleSum;
        slotSampleSquares = other.slotSampleSquares;
        slotLastSamples = other.slotLastSamples;
        slotLastStdDev = other.slotLastStdDev;
    }

    static AlarmState initial(int slots, String definition) {
        AlarmState s = new AlarmState();
        s.slotPeriod = new long[slots];
        Arrays.fill(s.slotPeriod, NONE);
        s.slotValue = new double[slots];
        s.slotCount = new long[slots];
        s.upgrade();
        s.definition = definition;
        return s;
    }
}
