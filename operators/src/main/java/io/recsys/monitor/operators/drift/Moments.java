package io.recsys.monitor.operators.drift;

/**
 * Count, mean and sum of squared deviations of a stream of numbers, updated one value at a time
 * (Welford) and merged pairwise (Chan et al.), so that panes of a sliding window combine without
 * the cancellation that sum-of-squares formulas suffer. Mutable; not thread-safe.
 */
public final class Moments {
    private long count;
    private double mean;
    private double m2;

    public Moments() {}

    public Moments(long count, double mean, double m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    public void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
    }

    public void merge(Moments other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            mean = other.mean;
            m2 = other.m2;
            return;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        mean += delta * other.count / n;
        m2 += other.m2 + delta * delta * ((double) count * other.count / n);
        count = n;
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    public double m2() {
        return m2;
    }

    /** Sample standard deviation (n - 1 in the denominator, as pandas' {@code std()}). */
    public double standardDeviation() {
        return count < 2 ? Double.NaN : Math.sqrt(m2 / (count - 1));
    }
}
