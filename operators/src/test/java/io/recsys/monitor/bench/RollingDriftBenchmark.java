package io.recsys.monitor.bench;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.drift.DriftRules;
import io.recsys.monitor.operators.drift.DriftUnit;
import io.recsys.monitor.operators.drift.DriftUnitPartial;
import io.recsys.monitor.operators.drift.PaneSketch;
import io.recsys.monitor.operators.drift.RollingDriftFunction;
import io.recsys.monitor.operators.drift.WindowDriftPart;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One prediction event through the rolling drift operator, in Flink's keyed broadcast test harness
 * with the heap state backend: the lookup of the pane's pending delta, the model's profile and
 * {@link io.recsys.monitor.operators.drift.PaneSketch#add}, plus the harness's own record and key
 * handling. The events of the bench traffic (two model versions, 20 features) fall in one open pane
 * with the watermark not yet started, as between two slides, so no timer writes the delta to keyed
 * state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RollingDriftBenchmark {
    private static final int EVENTS = 4096;
    private static final long MINUTE = 60_000L;

    private PredictionEvent[] events;
    private KeyedBroadcastOperatorTestHarness<
                    String, DriftUnitPartial, ReferenceUpdate, WindowDriftPart>
            harness;
    private int next;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        if (events == null) {
            events = BenchEvents.predictions(11, EVENTS);
        }
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(Collections.emptySet(), Collections.emptySet());
        for (PredictionEvent e : BenchEvents.predictions(13, 20_000)) {
            builder.add(e);
        }
        ReferenceProfile reference = builder.build("bench", "2026-01-01T00:00:00Z", "bench");
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new RollingDriftFunction(
                                60 * MINUTE,
                                5 * MINUTE,
                                1000,
                                DriftRules.defaults(),
                                "RecommendationSystem"),
                        (DriftUnitPartial p) -> p.modelVersion,
                        Types.STRING,
                        RollingDriftFunction.REFERENCES);
        harness.processBroadcastElement(
                new ReferenceUpdate("bench", ReferenceProfileJson.write(reference)), 0L);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    public KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> processOneEvent() throws Exception {
        next = (next + 1) & (EVENTS - 1);
        PredictionEvent e = events[next];
        PaneSketch pane = new PaneSketch(1000);
        pane.add(e, null);
        harness.processElement(
                DriftUnitPartial.part(e.modelVersion, DriftUnit.MODEL, e.eventTime, 0, pane),
                e.eventTime);
        return harness;
    }
}
