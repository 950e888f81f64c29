package io.recsys.monitor.bench;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.drift.DriftRules;
import io.recsys.monitor.operators.drift.PaneSketch;
import io.recsys.monitor.operators.drift.WindowDriftEvaluator;
import io.recsys.monitor.operators.reference.ModelProfile;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the rolling drift operator does with sketches: per event, {@link PaneSketch#add} (one KLL
 * update per numerical feature of the reference, one count per categorical feature, the top score);
 * per slide, merging the twelve five-minute panes of the hour into the window's sketch, and that
 * merge followed by the whole evaluation against the reference (KS, chi-square, PSI, Jensen-Shannon
 * for 20 features and the scores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PaneSketchBenchmark {
    /** The KLL k of a pane before format 2 (samples), for comparison. */
    private static final int KLL_K = 600;

    private static final int EVENTS = 4096;
    private static final int MAX_CATEGORIES = 1000;

    /** Prediction events per five-minute pane (per model version). */
    @Param({"3000"})
    public int eventsPerPane;

    private PredictionEvent[] events;
    private ModelProfile profile;
    private PaneSketch pane;
    private PaneSketch[] panes;
    private WindowDriftEvaluator evaluator;
    private KllDoublesSketch[] sketches;
    private double[] values;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        events = BenchEvents.predictions(11, EVENTS);
        profile = BenchEvents.profile(BenchEvents.predictions(13, 20_000));
        if (profile.featureCount() != 20) {
            throw new IllegalStateException("expected 20 features, got " + profile.featureCount());
        }
        panes = new PaneSketch[12];
        for (int p = 0; p < panes.length; p++) {
            panes[p] = new PaneSketch(MAX_CATEGORIES);
            for (int i = 0; i < eventsPerPane; i++) {
                panes[p].add(events[(p * eventsPerPane + i) % EVENTS], profile);
            }
        }
        values = new double[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            values[i] = events[i].numericFeatures.get("session_length_s");
        }
        evaluator = new WindowDriftEvaluator(DriftRules.defaults(), "RecommendationSystem");
    }

    /** A pane fills for one iteration, as a pane fills for one slide. */
    @Setup(Level.Iteration)
    public void newPane() {
        pane = new PaneSketch(MAX_CATEGORIES);
        sketches = new KllDoublesSketch[17];
        for (int i = 0; i < sketches.length; i++) {
            sketches[i] = KllDoublesSketch.newHeapInstance(KLL_K);
        }
    }

    @Benchmark
    public PaneSketch addOneEvent() {
        next = (next + 1) & (EVENTS - 1);
        pane.add(events[next], profile);
        return pane;
    }

    /**
     * The floor under {@link #addOneEvent}: the 17 KLL updates alone (16 numerical features and the
     * score), into sketches that fill for one iteration like the pane's.
     */
    @Benchmark
    public KllDoublesSketch[] seventeenKllUpdates() {
        next = (next + 1) & (EVENTS - 1);
        double base = values[next];
        for (int i = 0; i < sketches.length; i++) {
            sketches[i].update(base + i);
        }
        return sketches;
    }

    @Benchmark
    public PaneSketch mergeTwelvePanes() {
        PaneSketch window = new PaneSketch(MAX_CATEGORIES);
        for (PaneSketch p : panes) {
            window.merge(p);
        }
        return window;
    }

    @Benchmark
    public WindowDriftEvaluator.Outcome mergeAndEvaluateWindow() {
        PaneSketch window = new PaneSketch(MAX_CATEGORIES);
        for (PaneSketch p : panes) {
            window.merge(p);
        }
        return evaluator.evaluate("v1", 0L, 3_600_000L, window, profile, "bench");
    }
}
