package io.recsys.monitor.operators.reference;

import io.recsys.monitor.operators.drift.EmpiricalCdf;
import io.recsys.monitor.operators.drift.NumericSample;
import java.util.Arrays;

/**
 * The distribution of one numerical quantity of a baseline, as a reference profile stores it: every
 * observation while the quantity has at most {@value #MAX_POINTS} distinct values and nothing had
 * to be sampled, else a summary of at most {@value #MAX_POINTS} quantiles.
 *
 * <p>Why not a KLL sketch, as before: its compactions draw from one unseeded random generator, so
 * building a profile twice from the same baseline gave two profiles, and every drift statistic
 * against them differed a little. Here the values are those of a {@link NumericSample} (every value
 * up to {@value #SAMPLE_CAPACITY}, then those of the events with the smallest hash of their request
 * id), and the summary keeps the sample's order statistics at evenly spaced ranks, so the same
 * baseline gives the same profile, byte for byte, in whatever order it is read.
 *
 * <p>Its {@link EmpiricalCdf#rankError() rank error} is what it can lose: between two kept
 * quantiles the step function is below the sample's by at most one step, {@code ceil(s / M) / s}
 * for s values and M quantiles (0.00025 for M = 4096 and s = 50,000), plus the sample's own
 * Dvoretzky-Kiefer-Wolfowitz bound when the baseline had more than {@value #SAMPLE_CAPACITY}
 * values. Counts are the baseline's: each kept quantile stands for its share of all observations.
 */
public final class ReferenceDistribution {
    /**
     * Most values kept while building: 16 bytes each, at most 4 MB per quantity. A baseline beyond
     * it is sampled, and its distribution is within the DKW bound of 0.0033 (99 %) of the
     * baseline's.
     */
    public static final int SAMPLE_CAPACITY = 250_000;

    /** Most points in the stored distribution (about 100 KB of JSON per quantity). */
    public static final int MAX_POINTS = 4096;

    private final NumericSample sample;
    private final int maxPoints;

    public ReferenceDistribution() {
        this(SAMPLE_CAPACITY, MAX_POINTS);
    }

    /** For tests: smaller limits. */
    ReferenceDistribution(int sampleCapacity, int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be positive, got " + maxPoints);
        }
        this.sample = new NumericSample(sampleCapacity);
        this.maxPoints = maxPoints;
    }

    /**
     * Adds an observation of an event of the given priority ({@link NumericSample#priority}); a
     * value that is not finite is not an observation.
     */
    public void add(double value, long priority) {
        if (Double.isFinite(value)) {
            sample.add(value, priority);
        }
    }

    /** Observations added. */
    public long count() {
        return sample.count();
    }

    /** The stored distribution: exact, or quantiles with the rank error the class explains. */
    public EmpiricalCdf distribution() {
        EmpiricalCdf kept = sample.distribution();
        long population = sample.count();
        long sampleSize = kept.count();
        if (sampleSize == 0 || (sample.isExact() && kept.values().length <= maxPoints)) {
            return kept;
        }
        double[] values = kept.values();
        long[] atOrBelow = kept.cumulativeCounts();
        // The value at each rank ceil(i s / M) of the sample, i = 1..M, with the number of sample
        // values at or below it (ties included), scaled to the baseline's count.
        double[] points = new double[Math.min(maxPoints, values.length)];
        long[] counts = new long[points.length];
        int n = 0;
        int index = 0;
        for (int i = 1; i <= maxPoints; i++) {
            long rank = (long) Math.ceil((double) i * sampleSize / maxPoints);
            while (atOrBelow[index] < rank) {
                index++;
            }
            if (n > 0 && points[n - 1] == values[index]) {
                continue;
            }
            points[n] = values[index];
            counts[n] = scale(atOrBelow[index], sampleSize, population);
            n++;
        }
        long step = (long) Math.ceil((double) sampleSize / maxPoints);
        double error = Math.min(0.999, (double) step / sampleSize + sample.rankError());
        return EmpiricalCdf.of(Arrays.copyOf(points, n), Arrays.copyOf(counts, n), error);
    }

    private static long scale(long sampleCount, long sampleSize, long population) {
        if (sampleSize == population) {
            return sampleCount;
        }
        return Math.round((double) sampleCount * population / sampleSize);
    }
}
