package io.recsys.monitor.operators.alarm;

import java.util.Locale;

/**
 * What a relative threshold compares a period with: a centre and a scale, so that the compared
 * value is {@code (value - centre) / scale} and threshold {@code t} lies at the level {@code centre
 * + t x scale}. A percent change against a trailing mean has the scale |mean| / 100; a seasonal
 * band (see {@link SeasonalHistory}) has its robust standard deviation, so that its thresholds are
 * band half-widths in deviations.
 */
final class Baseline {
    /** Where the centre came from, for the alert's reason. */
    enum Source {
        /** The mean over the baseline span before the N periods; thresholds in percent. */
        TRAILING_PERCENT,
        /** A seasonal alarm in warm-up: the trailing mean and robust standard deviation. */
        TRAILING_FALLBACK,
        /** The median of the same period of the day over the last 7 days. */
        SAME_HOUR_OF_DAY,
        /** The median of the same period of the week over the last 4 weeks. */
        SAME_HOUR_OF_WEEK
    }

    static final Baseline NONE = new Baseline(Double.NaN, Double.NaN, Source.TRAILING_PERCENT, 0);

    final double centre;
    final double scale;
    final Source source;

    /** Periods of history the centre was taken from. */
    final int periods;

    Baseline(double centre, double scale, Source source, int periods) {
        this.centre = centre;
        this.scale = scale;
        this.source = source;
        this.periods = periods;
    }

    /** A percent change against {@code mean}; NONE when there is no usable mean. */
    static Baseline percentOf(double mean, int periods) {
        return Double.isNaN(mean) || mean == 0
                ? NONE
                : new Baseline(mean, Math.abs(mean) / 100.0, Source.TRAILING_PERCENT, periods);
    }

    boolean isKnown() {
        return !Double.isNaN(centre) && scale > 0;
    }

    /** The value compared with the thresholds; NaN without a baseline or a value. */
    double relative(double value) {
        return isKnown() ? (value - centre) / scale : Double.NaN;
    }

    /** The absolute level of threshold {@code t}; NaN for an absent threshold or baseline. */
    double level(double t) {
        return isKnown() ? centre + t * scale : Double.NaN;
    }

    /** What the compared value is, for the alert's reason. */
    String describe(String metric, double baselineHours) {
        switch (source) {
            case TRAILING_PERCENT:
                return metric
                        + " change in % against its mean over the previous "
                        + baselineHours
                        + " h";
            case TRAILING_FALLBACK:
                return String.format(
                        Locale.ROOT,
                        "%s in robust standard deviations from its mean over the previous %s h"
                                + " (warm-up: fewer than %d days of history for this hour)",
                        metric,
                        baselineHours,
                        SeasonalHistory.MIN_VALUES);
            case SAME_HOUR_OF_DAY:
                return String.format(
                        Locale.ROOT,
                        "%s in robust standard deviations from its median at this hour of the day"
                                + " (%d of the last %d days)",
                        metric,
                        periods,
                        SeasonalHistory.DAILY_DAYS);
            default:
                return String.format(
                        Locale.ROOT,
                        "%s in robust standard deviations from its median at this hour of the week"
                                + " (%d of the last %d weeks)",
                        metric,
                        periods,
                        SeasonalHistory.WEEKS);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.6g +- %.6g (%d)", source, centre, scale, periods);
    }
}
