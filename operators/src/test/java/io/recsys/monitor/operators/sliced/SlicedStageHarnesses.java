package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.SliceAccumulator;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.preaggregation.PartialMerge;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Operator harnesses of the sliced-metric stages as the job module's graph builder wires them, for
 * tests that restore a family's snapshots of an earlier release into them.
 */
public final class SlicedStageHarnesses {
    private SlicedStageHarnesses() {}

    /** The heap backend for "heap", RocksDB for "rocksdb". */
    public static StateBackend backend(String name) {
        return name.equals("rocksdb")
                ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
    }

    /**
     * The keyed per-slice window of {@code accumulatorType}: tumbling windows of {@code period}
     * kept for {@code allowedLateness} and cleared by {@link WindowEndTrigger}, labelled by {@link
     * WindowLabel}; set up, not yet opened.
     */
    public static <E, A extends SliceAccumulator<E, A>>
            KeyedOneInputStreamOperatorTestHarness<String, SlicePartial<A>, SliceTally<A>>
                    perSliceWindow(
                            AccumulatorTypeInfo<A> accumulatorType,
                            Duration period,
                            Duration allowedLateness,
                            String backend)
                            throws Exception {
        return perSliceWindow(
                accumulatorType,
                period,
                allowedLateness,
                backend,
                new WindowEndTrigger(allowedLateness.toMillis()));
    }

    /** The per-slice window, but fired by {@code trigger}, to compare the two. */
    @SuppressWarnings("unchecked")
    static <E, A extends SliceAccumulator<E, A>>
            KeyedOneInputStreamOperatorTestHarness<String, SlicePartial<A>, SliceTally<A>>
                    perSliceWindow(
                            AccumulatorTypeInfo<A> accumulatorType,
                            Duration period,
                            Duration allowedLateness,
                            String backend,
                            Trigger<Object, TimeWindow> trigger)
                            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        A empty = accumulatorType.serializer().createInstance();
        SingleOutputStreamOperator<SliceTally<A>> windowed =
                env.fromData(
                                List.of(new SlicePartial<>("", 0L, empty)),
                                SlicePartial.typeInfo(accumulatorType))
                        .keyBy(p -> p.slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(period))
                        .allowedLateness(allowedLateness)
                        .trigger(trigger)
                        .aggregate(
                                new PartialMerge<>(
                                        new AccumulatorAggregate<>(
                                                accumulatorType.serializer()::createInstance)),
                                new WindowLabel<>(),
                                accumulatorType,
                                accumulatorType,
                                SliceTally.typeInfo(accumulatorType));
        OneInputStreamOperator<SlicePartial<A>, SliceTally<A>> operator =
                ((OneInputTransformation<SlicePartial<A>, SliceTally<A>>)
                                windowed.getTransformation())
                        .getOperator();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, p -> p.slice, Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setStateBackend(backend(backend));
        h.setup(
                SliceTally.typeInfo(accumulatorType)
                        .createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    /**
     * The totals per slice of {@code accumulatorType}, keyed by slice, for windows of {@code
     * period} kept for {@code allowedLateness}; set up, not yet opened.
     */
    public static <A extends SliceAccumulator<?, A>>
            KeyedOneInputStreamOperatorTestHarness<String, SliceTally<A>, SliceTally<A>> totals(
                    AccumulatorTypeInfo<A> accumulatorType,
                    Duration period,
                    Duration allowedLateness,
                    String backend)
                    throws Exception {
        return totals(
                new WindowTotals<>(
                        period.toMillis(),
                        allowedLateness.toMillis(),
                        accumulatorType.serializer()::createInstance,
                        accumulatorType),
                accumulatorType,
                backend);
    }

    /** The totals of {@code metric} as the graph builder makes them; set up, not yet opened. */
    public static <A extends SliceAccumulator<?, A>>
            KeyedOneInputStreamOperatorTestHarness<String, SliceTally<A>, SliceTally<A>> totals(
                    SlicedMetric<?, A> metric, String backend) throws Exception {
        return totals(
                new WindowTotals<>(
                        metric.period().toMillis(),
                        metric.allowedLateness().toMillis(),
                        metric.create(),
                        metric.accumulatorType(),
                        metric.previousTally()),
                metric.accumulatorType(),
                backend);
    }

    /**
     * The keys that have entries in the keyed state {@code name}, registered or only restored (the
     * state a savepoint would carry on).
     */
    public static List<String> keysWithState(
            KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h, String name) {
        KeyedStateBackend<String> backend =
                ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        try (Stream<String> keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.sorted().collect(Collectors.toList());
        }
    }

    private static <A extends SliceAccumulator<?, A>>
            KeyedOneInputStreamOperatorTestHarness<String, SliceTally<A>, SliceTally<A>> totals(
                    WindowTotals<A> totals, AccumulatorTypeInfo<A> accumulatorType, String backend)
                    throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(totals),
                        (SliceTally<A> t) -> t.slice,
                        Types.STRING);
        h.getExecutionConfig().disableGenericTypes();
        h.setStateBackend(backend(backend));
        h.setup(
                SliceTally.typeInfo(accumulatorType)
                        .createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    /**
     * The pre-aggregation of {@code accumulatorType} by {@code slice} and record timestamp, in
     * windows of {@code period} with {@code allowedLateness}; set up, not yet opened.
     */
    public static <E, A extends SliceAccumulator<E, A>>
            OneInputStreamOperatorTestHarness<E, SlicePartial<A>> preAggregation(
                    AccumulatorTypeInfo<A> accumulatorType,
                    KeySelector<E, String> slice,
                    Duration period,
                    Duration allowedLateness,
                    String backend)
                    throws Exception {
        return preAggregation(
                new SlicePreAggregation<>(
                        new AccumulatorAggregate<>(accumulatorType.serializer()::createInstance),
                        slice,
                        WindowTime.recordTimestamp(),
                        period.toMillis(),
                        allowedLateness.toMillis(),
                        accumulatorType),
                backend);
    }

    /**
     * The pre-aggregation of {@code metric} as the graph builder makes it (its slices, window time,
     * windows and counting); set up, not yet opened.
     */
    public static <E, A extends SliceAccumulator<E, A>>
            OneInputStreamOperatorTestHarness<E, SlicePartial<A>> preAggregation(
                    SlicedMetric<E, A> metric, String backend) throws Exception {
        return preAggregation(metric.preAggregation(), backend);
    }

    private static <E, A> OneInputStreamOperatorTestHarness<E, SlicePartial<A>> preAggregation(
            SlicePreAggregation<E, A> pre, String backend) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(pre);
        h.getExecutionConfig().disableGenericTypes();
        h.setStateBackend(backend(backend));
        h.setup(pre.partialType().createSerializer(h.getExecutionConfig().getSerializerConfig()));
        return h;
    }

    /**
     * The (key, window) pairs whose contents a window operator keeps, on either backend (the
     * harness counts state entries on the heap backend only).
     */
    public static long windowsInState(AbstractStreamOperatorTestHarness<?> harness)
            throws Exception {
        KeyedStateBackend<?> backend =
                ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        try (Stream<?> windows = backend.getKeysAndNamespaces("window-contents")) {
            return windows.count();
        }
    }
}
