package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import io.recsys.monitor.operators.sliced.AccumulatorAggregate;
import io.recsys.monitor.operators.sliced.WindowLabel;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-slice health window as the job builds it: the accumulator (counters and REQ sketch) lives
 * in window state with its own serializer (generic types are disabled, so Kryo would fail), and
 * survives a snapshot and restore in the middle of a window.
 */
class HealthWindowOperatorTest {
    private static final long MINUTE = 60_000L;
    private static final KeySelector<PredictionEvent, String> SLICE =
            p -> TrafficSlice.key(p.modelVersion, p.userSegment);
    private static final AccumulatorTypeInfo<ServiceHealthCounts> COUNTS =
            AccumulatorTypeInfo.of(new ServiceHealthCounts.Codec(20));

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, PredictionEvent, SliceTally<ServiceHealthCounts>>
            harness() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SingleOutputStreamOperator<SliceTally<ServiceHealthCounts>> windowed =
                env.fromData(new PredictionEvent())
                        .keyBy(SLICE)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .aggregate(
                                new AccumulatorAggregate<>(() -> new ServiceHealthCounts(20)),
                                new WindowLabel<>(),
                                COUNTS,
                                COUNTS,
                                SliceTally.typeInfo(COUNTS));
        OneInputStreamOperator<PredictionEvent, SliceTally<ServiceHealthCounts>> operator =
                ((OneInputTransformation<PredictionEvent, SliceTally<ServiceHealthCounts>>)
                                windowed.getTransformation())
                        .getOperator();
        KeyedOneInputStreamOperatorTestHarness<
                        String, PredictionEvent, SliceTally<ServiceHealthCounts>>
                h = new KeyedOneInputStreamOperatorTestHarness<>(operator, SLICE, Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setup(
                SliceTally.typeInfo(COUNTS)
                        .createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    private static PredictionEvent response(long time, double latency, boolean error) {
        PredictionEvent p =
                ServiceHealthMetricsTest.response(latency, error ? "Timeout" : null, error);
        p.userSegment = "new";
        p.eventTime = time;
        return p;
    }

    @Test
    void sketchStateRoundTripsThroughASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, PredictionEvent, SliceTally<ServiceHealthCounts>>
                h = harness()) {
            h.open();
            for (int ms = 1; ms <= 50; ms++) {
                h.processElement(response(ms * 100, ms, ms == 7), ms * 100);
            }
            // One accumulator per (slice, window) and one end-of-window timer.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<
                        String, PredictionEvent, SliceTally<ServiceHealthCounts>>
                h = harness()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            for (int ms = 51; ms <= 100; ms++) {
                h.processElement(response(ms * 100, ms, false), ms * 100);
            }
            h.processWatermark(new Watermark(MINUTE));
            List<SliceTally<ServiceHealthCounts>> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            SliceTally<ServiceHealthCounts> t = out.get(0);
            assertThat(t.slice).isEqualTo(TrafficSlice.key("v1", "new"));
            assertThat(t.sourceSlice).isEqualTo(t.slice);
            assertThat(t.windowEnd).isEqualTo(MINUTE);
            assertThat(t.accumulator.requests).isEqualTo(100);
            assertThat(t.accumulator.errors).isEqualTo(1);
            // Latencies 1..100 ms, half before the snapshot: the exact nearest-rank percentiles.
            assertThat(t.accumulator.latency.quantile(0.5)).isEqualTo(50.0);
            assertThat(t.accumulator.latency.quantile(0.99)).isEqualTo(99.0);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
