package io.recsys.monitor.bench;

import io.recsys.monitor.operators.drift.EmpiricalCdf;
import io.recsys.monitor.operators.drift.KsStatistic;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two-sample KS statistic of two samples of n values each (normal, the second shifted by 0.05
 * sd): from KLL sketches (k = 600, the panes of format 1) as the drift operator computes it (the
 * window's distribution read out of its sketch, against the reference's distribution, which a
 * profile holds ready), versus the exact statistic by sorting both raw samples and merging.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KsBenchmark {
    /** The KLL k of a pane before format 2 (samples), for comparison. */
    private static final int KLL_K = 600;

    @Param({"10000", "100000", "1000000"})
    public int n;

    private double[] x;
    private double[] y;
    private EmpiricalCdf reference;
    private KllDoublesSketch current;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(17);
        x = new double[n];
        y = new double[n];
        KllDoublesSketch a = KllDoublesSketch.newHeapInstance(KLL_K);
        current = KllDoublesSketch.newHeapInstance(KLL_K);
        for (int i = 0; i < n; i++) {
            x[i] = BenchEvents.gaussian(r);
            y[i] = BenchEvents.gaussian(r) + 0.05;
            a.update(x[i]);
            current.update(y[i]);
        }
        reference = EmpiricalCdf.of(a);
    }

    @Benchmark
    public double fromSketches() {
        return KsStatistic.statistic(reference, EmpiricalCdf.of(current));
    }

    @Benchmark
    public double exact() {
        return KsStatistic.exactStatistic(x, y);
    }
}
