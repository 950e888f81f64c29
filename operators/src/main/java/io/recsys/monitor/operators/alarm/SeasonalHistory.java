package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmDefinition;
import java.util.Arrays;

/**
 * The history of a seasonal alarm's series and the band it gives a period: the values of the last 4
 * weeks of periods, a ring in {@link AlarmState} ({@code seasonalValues}, indexed by period number
 * modulo its size, NaN where a period had no value; {@code seasonalNewest} the newest period
 * written). Bounded: {@link #bytesPerSeries} per series and alarm, 5,384 bytes for hourly periods
 * (672 slots).
 *
 * <p>A period's centre and spread are the median and the median absolute deviation (x 1.4826, the
 * standard deviation of normal data) of the same period of the week over the last 4 weeks, once at
 * least {@value #MIN_VALUES} of those exist; before that, of the same period of the day over the
 * last 7 days, once at least {@value #MIN_VALUES} exist. The spread is at least the alarm's band
 * floor in percent of the centre. Medians, not means: one bad day (the incident the alarm raised)
 * moves neither. The same hour of the week needs three weeks: the value of one week ago alone is
 * one sample, not a band. With less history the caller's trailing baseline stands in.
 */
final class SeasonalHistory {
    static final int DAILY_DAYS = 7;
    static final int WEEKS = AlarmDefinition.SEASONAL_HISTORY_DAYS / 7;

    /** Values of the same period a median and its deviation need. */
    static final int MIN_VALUES = 3;

    /** MAD x 1.4826 estimates the standard deviation of normally distributed values. */
    static final double MAD_TO_STANDARD_DEVIATION = 1.4826;

    private SeasonalHistory() {}

    /** State bytes of one series' history: 8 per period slot plus the newest period. */
    static long bytesPerSeries(AlarmDefinition d) {
        return 8L * d.seasonalHistoryPeriods() + 8;
    }

    /** Records the value of evaluated period {@code p} (NaN: no value). */
    static void record(AlarmDefinition d, AlarmState state, long p, double value) {
        int size = d.seasonalHistoryPeriods();
        if (state.seasonalValues == null || state.seasonalValues.length != size) {
            // First use, state from before seasonal alarms, or a changed period: start again.
            state.seasonalValues = new double[size];
            Arrays.fill(state.seasonalValues, Double.NaN);
            state.seasonalNewest = AlarmState.NONE;
        }
        if (state.seasonalNewest != AlarmState.NONE && p <= state.seasonalNewest) {
            if (p > state.seasonalNewest - size) {
                state.seasonalValues[slot(p, size)] = value;
            }
            return;
        }
        if (state.seasonalNewest != AlarmState.NONE) {
            // The periods skipped since the newest had no value; their slots hold older ones.
            long from = Math.max(state.seasonalNewest + 1, p - size + 1);
            for (long q = from; q < p; q++) {
                state.seasonalValues[slot(q, size)] = Double.NaN;
            }
        }
        state.seasonalValues[slot(p, size)] = value;
        state.seasonalNewest = p;
    }

    /** The recorded value of period {@code q}; NaN when none or no longer held. */
    static double valueOf(AlarmDefinition d, AlarmState state, long q) {
        int size = d.seasonalHistoryPeriods();
        if (state.seasonalValues == null
                || state.seasonalValues.length != size
                || state.seasonalNewest == AlarmState.NONE
                || q > state.seasonalNewest
                || q <= state.seasonalNewest - size) {
            return Double.NaN;
        }
        return state.seasonalValues[slot(q, size)];
    }

    /**
     * The band of period {@code q}: by the same period of the week, else of the day, else {@code
     * warmUp} (the trailing baseline).
     */
    static Baseline baseline(AlarmDefinition d, AlarmState state, long q, Baseline warmUp) {
        int day = d.periodsPerDay();
        Baseline weekly = band(d, state, q, 7L * day, WEEKS, Baseline.Source.SAME_HOUR_OF_WEEK);
        if (weekly != null) {
            return weekly;
        }
        Baseline daily = band(d, state, q, day, DAILY_DAYS, Baseline.Source.SAME_HOUR_OF_DAY);
        return daily != null ? daily : warmUp;
    }

    /** The band from periods q - step, ..., q - count x step; null with too few values. */
    private static Baseline band(
            AlarmDefinition d,
            AlarmState state,
            long q,
            long step,
            int count,
            Baseline.Source source) {
        double[] values = new double[count];
        int n = 0;
        for (int k = 1; k <= count; k++) {
            double v = valueOf(d, state, q - k * step);
            if (!Double.isNaN(v)) {
                values[n++] = v;
            }
        }
        if (n < MIN_VALUES) {
            return null;
        }
        double[] sample = Arrays.copyOf(values, n);
        double centre = median(sample);
        double spread = robustSpread(sample);
        double floor = Math.abs(centre) * d.bandFloorPercent() / 100.0;
        return new Baseline(centre, Math.max(spread, floor), source, n);
    }

    /**
     * 1.4826 x the median absolute deviation from the median of {@code values} (changed in place):
     * the standard deviation of normal values, unmoved by a few outliers.
     */
    static double robustSpread(double[] values) {
        double centre = median(values);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i] - centre);
        }
        return MAD_TO_STANDARD_DEVIATION * median(values);
    }

    /** The median of {@code values} (sorted in place). */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static int slot(long q, int size) {
        return (int) Math.floorMod(q, (long) size);
    }
}
