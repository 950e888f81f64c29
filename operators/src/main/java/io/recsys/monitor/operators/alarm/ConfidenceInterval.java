package io.recsys.monitor.operators.alarm;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * A two-sided confidence interval of one period's value, the evidence an alarm period is judged by:
 * the Wilson score interval of a proportion (Wilson 1927; Newcombe 1998, method 3), which keeps its
 * coverage near 0 and 1 and for small samples where the normal approximation fails, and the
 * Student-t interval of a mean from its count, mean and sample standard deviation. Pure; the
 * quantiles come from Commons Math.
 */
public final class ConfidenceInterval {
    private final double low;
    private final double high;
    private final double confidence;

    private ConfidenceInterval(double low, double high, double confidence) {
        this.low = low;
        this.high = high;
        this.confidence = confidence;
    }

    /**
     * The Wilson score interval of {@code successes} in {@code trials}, as proportions in [0, 1].
     * Successes are rounded to a whole number and capped at the trials (a rate above 100 %, such as
     * purchases per click with purchases reached another way, is read as 100 %).
     *
     * @throws IllegalArgumentException if trials is not positive or confidence not in (0, 1)
     */
    public static ConfidenceInterval wilson(double successes, long trials, double confidence) {
        if (trials <= 0) {
            throw new IllegalArgumentException("a proportion needs at least one trial");
        }
        int n = (int) Math.min(trials, Integer.MAX_VALUE);
        // Commons Math counts in int; beyond 2^31 trials the scale-down changes nothing visible.
        double scale = (double) n / trials;
        int k = (int) Math.max(0, Math.min(n, Math.round(successes * scale)));
        org.apache.commons.math3.stat.interval.ConfidenceInterval ci =
                new WilsonScoreInterval().createInterval(n, k, confidence);
        return new ConfidenceInterval(
                Math.max(0, ci.getLowerBound()), Math.min(1, ci.getUpperBound()), confidence);
    }

    /**
     * The Student-t interval {@code mean +- t(n - 1, (1 + confidence) / 2) * sd / sqrt(n)} of a
     * mean of {@code n >= 2} samples with sample standard deviation {@code sd}.
     *
     * @throws IllegalArgumentException if n < 2, sd is negative or not finite, or confidence is not
     *     in (0, 1)
     */
    public static ConfidenceInterval studentT(long n, double mean, double sd, double confidence) {
        if (n < 2 || !(sd >= 0) || Double.isInfinite(sd)) {
            throw new IllegalArgumentException("a t interval needs n >= 2 and a finite sd >= 0");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1)");
        }
        // No random generator: only the quantile is needed.
        double t =
                new TDistribution(null, n - 1.0).inverseCumulativeProbability(0.5 + confidence / 2);
        double half = t * sd / Math.sqrt(n);
        return new ConfidenceInterval(mean - half, mean + half, confidence);
    }

    /** This interval with both bounds multiplied by {@code factor} (e.g. 100 for percent). */
    public ConfidenceInterval scaled(double factor) {
        return new ConfidenceInterval(low * factor, high * factor, confidence);
    }

    public double low() {
        return low;
    }

    public double high() {
        return high;
    }

    /** E.g. {@code 95 % interval 1.21-1.93}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "%s %% interval %.4g-%.4g", percent(confidence), low, high);
    }

    /** A fraction in percent, e.g. 95 for 0.95 and 99.9 for 0.999 (one decimal at most). */
    static String percent(double fraction) {
        double p = fraction * 100;
        return p == Math.rint(p)
                ? Long.toString(Math.round(p))
                : String.format(Locale.ROOT, "%.1f", p);
    }
}
