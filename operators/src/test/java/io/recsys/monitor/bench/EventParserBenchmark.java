package io.recsys.monitor.bench;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link EventParser} on one event: the bench's prediction (10 recommendations, 20 features, about
 * 1.3 KB), a prediction of about 400 bytes, a feedback event (about 180 bytes), and the bench's
 * prediction as UTF-8 bytes (the Kinesis path). Each call parses the next of 256 distinct events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventParserBenchmark {
    private static final int EVENTS = 256;

    private final EventParser parser = new EventParser(EventLimits.defaults());
    private String[] predictions;
    private byte[][] predictionBytes;
    private String[] smallPredictions;
    private String[] feedback;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(7);
        predictions = new String[EVENTS];
        predictionBytes = new byte[EVENTS][];
        smallPredictions = new String[EVENTS];
        feedback = new String[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            predictions[i] = BenchEvents.prediction(r, i);
            predictionBytes[i] = predictions[i].getBytes(StandardCharsets.UTF_8);
            smallPredictions[i] = BenchEvents.smallPrediction(r, i);
            feedback[i] = BenchEvents.feedback(r, i);
            for (String s : new String[] {predictions[i], smallPredictions[i], feedback[i]}) {
                if (parser.parse(s, "bench", 0L).deadLetter != null) {
                    throw new IllegalStateException("the benchmark's event is invalid: " + s);
                }
            }
        }
    }

    private int index() {
        next = (next + 1) & (EVENTS - 1);
        return next;
    }

    @Benchmark
    public InputRecord prediction20Features() {
        return parser.parse(predictions[index()], "bench", 0L);
    }

    @Benchmark
    public InputRecord prediction20FeaturesFromBytes() {
        return parser.parse(predictionBytes[index()], "bench", 0L);
    }

    @Benchmark
    public InputRecord prediction400Bytes() {
        return parser.parse(smallPredictions[index()], "bench", 0L);
    }

    @Benchmark
    public InputRecord feedback() {
        return parser.parse(feedback[index()], "bench", 0L);
    }
}
