package io.recsys.monitor.job.graph;

import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceAccumulator;
import io.recsys.monitor.model.SlicePartial;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.preaggregation.PartialMerge;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.sliced.AccumulatorAggregate;
import io.recsys.monitor.operators.sliced.RollUp;
import io.recsys.monitor.operators.sliced.SlicedMetric;
import io.recsys.monitor.operators.sliced.WindowEndTrigger;
import io.recsys.monitor.operators.sliced.WindowLabel;
import io.recsys.monitor.operators.sliced.WindowTotals;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * Turns a {@link SlicedMetric} into its operators: each source subtask aggregates its events per
 * slice and window before the shuffle ({@link SlicePreAggregation}); a keyed tumbling window per
 * fine slice completes the accumulator and keeps it for the allowed lateness, so that a late event
 * re-fires the window with its whole new count ({@link WindowLabel}; {@link WindowEndTrigger} also
 * clears a window restored from a release that kept none); the roll-up sends each fine slice to the
 * coarser slices of the description's levels ({@link RollUp}); and the totals per slice replace a
 * fine slice's earlier contribution when it comes again ({@link WindowTotals}), so that late data
 * corrects every slice of the window. Events later than the allowed lateness leave through {@link
 * Stages#tooLate}.
 */
public final class SlicedMetricGraph {
    private SlicedMetricGraph() {}

    /** The streams a sliced metric's operators produce. */
    public static final class Stages<A> {
        /** The totals of every slice and window, emitted again when late data corrects them. */
        public final SingleOutputStreamOperator<SliceTally<A>> totals;

        /** The metric points of the description's report. */
        public final DataStream<MetricPoint> report;

        /** The partials later than the allowed lateness, which no window counts any more. */
        public final DataStream<SlicePartial<A>> tooLate;

        Stages(
                SingleOutputStreamOperator<SliceTally<A>> totals,
                DataStream<MetricPoint> report,
                DataStream<SlicePartial<A>> tooLate) {
            this.totals = totals;
            this.report = report;
            this.tooLate = tooLate;
        }
    }

    /**
     * Adds the operators of {@code metric} over {@code events}. {@code contributions}, if any, join
     * the totals as in {@link #fromPartials}.
     */
    @SafeVarargs
    public static <E, A extends SliceAccumulator<E, A>> Stages<A> build(
            DataStream<E> events,
            SlicedMetric<E, A> metric,
            DataStream<SliceTally<A>>... contributions) {
        if (metric.slice() == null) {
            throw new IllegalArgumentException(
                    metric.name() + " has no slice key: its partials come counted (fromPartials)");
        }
        SlicePreAggregation<E, A> preAggregation = metric.preAggregation();
        return fromPartials(
                events.transform(
                                metric.title() + " per slice, before the shuffle",
                                preAggregation.partialType(),
                                preAggregation)
                        .uid(metric.uid("pre-aggregation")),
                metric,
                contributions);
    }

    /**
     * Adds the operators of {@code metric} after its pre-aggregation, over {@code partials} that
     * the family counted per slice and window itself (data quality counts each stream where it is
     * parsed, with a function of its own), each stamped with its window's last millisecond as
     * {@link SlicePreAggregation} stamps them. {@code contributions}, if any, join the totals as
     * they are, beside the roll-up: each names a source slice of its own.
     */
    @SafeVarargs
    public static <E, A extends SliceAccumulator<E, A>> Stages<A> fromPartials(
            DataStream<SlicePartial<A>> partials,
            SlicedMetric<E, A> metric,
            DataStream<SliceTally<A>>... contributions) {
        AccumulatorTypeInfo<A> accumulatorType = metric.accumulatorType();
        TypeInformation<SliceTally<A>> tallyType = SliceTally.typeInfo(accumulatorType);
        OutputTag<SlicePartial<A>> lateTag =
                new OutputTag<>("late-" + metric.name(), SlicePartial.typeInfo(accumulatorType));
        long periodMillis = metric.period().toMillis();
        long latenessMillis = metric.allowedLateness().toMillis();

        SingleOutputStreamOperator<SliceTally<A>> perSlice =
                partials.keyBy(p -> p.slice, Types.STRING)
                        .window(TumblingEventTimeWindows.of(metric.period()))
                        .allowedLateness(metric.allowedLateness())
                        .trigger(new WindowEndTrigger(latenessMillis))
                        .sideOutputLateData(lateTag)
                        .aggregate(
                                new PartialMerge<>(new AccumulatorAggregate<>(metric.create())),
                                new WindowLabel<A>(),
                                accumulatorType,
                                accumulatorType,
                                tallyType)
                        .uid(metric.uid("per-slice"))
                        .name(metric.title() + " per slice and window");

        DataStream<SliceTally<A>> rolledUp =
                perSlice.flatMap(new RollUp<A>(metric.rollUp()), tallyType)
                        .uid(metric.uid("roll-up"))
                        .name("Roll up " + metric.title() + " to coarser slices");
        SingleOutputStreamOperator<SliceTally<A>> totals =
                (contributions.length == 0 ? rolledUp : rolledUp.union(contributions))
                        .keyBy(t -> t.slice, Types.STRING)
                        .process(
                                new WindowTotals<>(
                                        periodMillis,
                                        latenessMillis,
                                        metric.create(),
                                        accumulatorType,
                                        metric.previousTally()),
                                tallyType)
                        .uid(metric.uid("totals"))
                        .name(
                                metric.title()
                                        + " totals per slice (late events replace a slice's"
                                        + " contribution)");

        DataStream<MetricPoint> report =
                totals.flatMap(metric.report(), TypeInformation.of(MetricPoint.class))
                        .uid(metric.reportUid())
                        .name(metric.reportName());
        return new Stages<>(totals, report, perSlice.getSideOutput(lateTag));
    }
}
