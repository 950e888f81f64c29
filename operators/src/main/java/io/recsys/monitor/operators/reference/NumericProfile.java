package io.recsys.monitor.operators.reference;

import io.recsys.monitor.operators.drift.EmpiricalCdf;

/**
 * The reference distribution of one numerical quantity (a feature or the prediction scores): its
 * count, mean, sample standard deviation, range, and its distribution function: exact, or quantiles
 * within a stated rank error ({@link ReferenceDistribution}; older profiles: a KLL sketch's view).
 */
public final class NumericProfile {
    public final long count;
    public final double mean;
    public final double standardDeviation;
    public final double min;
    public final double max;
    public final EmpiricalCdf distribution;

    public NumericProfile(
            long count,
            double mean,
            double standardDeviation,
            double min,
            double max,
            EmpiricalCdf distribution) {
        this.count = count;
        this.mean = mean;
        this.standardDeviation = standardDeviation;
        this.min = min;
        this.max = max;
        this.distribution = distribution;
    }
}
