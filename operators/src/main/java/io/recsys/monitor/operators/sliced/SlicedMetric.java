package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.AccumulatorCodec;
import io.recsys.monitor.model.AccumulatorTypeInfo;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.SliceAccumulator;
import io.recsys.monitor.model.SliceTally;
import io.recsys.monitor.operators.preaggregation.SlicePreAggregation;
import io.recsys.monitor.operators.preaggregation.WindowTime;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * A metric computed per tumbling window and per slice, and rolled up to coarser slices, described
 * as data: how an event is sliced and placed in time, the window's period and allowed lateness, the
 * levels a slice rolls up into, how the accumulator is created and written, and how a slice's total
 * becomes metric points. The graph builder ({@code SlicedMetricGraph} in the job module) makes
 * every operator from it, with the uids {@code <name>-pre-aggregation}, {@code <name>-per-slice},
 * {@code <name>-roll-up} and {@code <name>-totals} and the report's own uid, so that the uids and
 * state names of a family follow from its description. A family whose earlier operators had other
 * uids states them ({@link Builder#uids}), and one whose earlier totals kept window labels of their
 * own names their class ({@link Builder#previousTally}).
 *
 * @param <E> the events
 * @param <A> the accumulator
 */
public final class SlicedMetric<E, A extends SliceAccumulator<E, A>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String title;
    private final KeySelector<E, String> slice;
    private final WindowTime<E> windowTime;
    private final Duration period;
    private final Duration allowedLateness;
    private final List<RollUpLevel> rollUp;
    private final SerializableSupplier<A> create;
    private final AccumulatorCodec<A> codec;
    private final AccumulatorAggregate.Count<E, A> count;
    private final FlatMapFunction<SliceTally<A>, MetricPoint> report;
    private final String reportUid;
    private final String reportName;
    private final Map<String, String> uids;
    private final Class<?> previousTally;

    private SlicedMetric(Builder<E, A> b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.title = Objects.requireNonNull(b.title, "title");
        // Null for a family whose partials come pre-counted (SlicedMetricGraph.fromPartials).
        this.slice = b.slice;
        this.windowTime = Objects.requireNonNull(b.windowTime, "windowTime");
        this.period = Objects.requireNonNull(b.period, "period");
        this.allowedLateness = Objects.requireNonNull(b.allowedLateness, "allowedLateness");
        this.rollUp = List.copyOf(b.rollUp);
        this.create = Objects.requireNonNull(b.create, "create");
        this.codec = Objects.requireNonNull(b.codec, "codec");
        this.count = b.count;
        this.report = Objects.requireNonNull(b.report, "report");
        this.reportUid = Objects.requireNonNull(b.reportUid, "reportUid");
        this.reportName = Objects.requireNonNull(b.reportName, "reportName");
        this.uids = b.uids;
        this.previousTally = b.previousTally;
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(name + ": the period must be positive");
        }
        if (allowedLateness.isZero() || allowedLateness.isNegative()) {
            // The totals stage keeps each window for its lateness; zero would forget it at once.
            throw new IllegalArgumentException(name + ": the allowed lateness must be positive");
        }
    }

    /** A description of the metric family {@code name}, the prefix of its operators' uids. */
    public static <E, A extends SliceAccumulator<E, A>> Builder<E, A> named(
            String name, String title) {
        return new Builder<>(name, title);
    }

    /** The prefix of the operators' uids, such as {@code health}. */
    public String name() {
        return name;
    }

    /** What is counted, for the operators' names in the web UI, such as "Health counts". */
    public String title() {
        return title;
    }

    /** The slice key of an event; null when the family's events come counted per slice. */
    public KeySelector<E, String> slice() {
        return slice;
    }

    public WindowTime<E> windowTime() {
        return windowTime;
    }

    public Duration period() {
        return period;
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    /** The coarser levels of a slice, in the order its copies are sent. */
    public List<RollUpLevel> rollUp() {
        return rollUp;
    }

    public SerializableSupplier<A> create() {
        return create;
    }

    public AccumulatorCodec<A> codec() {
        return codec;
    }

    /**
     * The pre-aggregation per slice and window before the shuffle, which creates accumulators and
     * counts events into them as the description says.
     */
    public SlicePreAggregation<E, A> preAggregation() {
        return new SlicePreAggregation<>(
                count == null
                        ? new AccumulatorAggregate<>(create)
                        : new AccumulatorAggregate<>(create, count),
                slice,
                windowTime,
                period.toMillis(),
                allowedLateness.toMillis(),
                accumulatorType());
    }

    public AccumulatorTypeInfo<A> accumulatorType() {
        return AccumulatorTypeInfo.of(codec);
    }

    public FlatMapFunction<SliceTally<A>, MetricPoint> report() {
        return report;
    }

    public String reportUid() {
        return reportUid;
    }

    public String reportName() {
        return reportName;
    }

    /**
     * The uid of a stage: the one stated with {@link Builder#uids}, else the name, a dash and the
     * stage, as earlier versions named them.
     */
    public String uid(String stage) {
        return uids.getOrDefault(stage, name + "-" + stage);
    }

    /**
     * The class of the window labels that the family's totals kept in earlier versions ({@link
     * WindowTotals}), or null.
     */
    public Class<?> previousTally() {
        return previousTally;
    }

    /** Builds a {@link SlicedMetric}; every part is required but the slice key (see there). */
    public static final class Builder<E, A extends SliceAccumulator<E, A>> {
        private final String name;
        private final String title;
        private KeySelector<E, String> slice;
        private WindowTime<E> windowTime = WindowTime.recordTimestamp();
        private Duration period;
        private Duration allowedLateness;
        private List<RollUpLevel> rollUp = List.of();
        private SerializableSupplier<A> create;
        private AccumulatorCodec<A> codec;
        private AccumulatorAggregate.Count<E, A> count;
        private FlatMapFunction<SliceTally<A>, MetricPoint> report;
        private String reportUid;
        private String reportName;
        private Map<String, String> uids = Map.of();
        private Class<?> previousTally;

        private Builder(String name, String title) {
            this.name = name;
            this.title = title;
        }

        /**
         * The slice key of an event: the key of the per-slice window. A family whose streams are
         * counted per slice before they reach the stages (data quality) has none.
         */
        public Builder<E, A> slicedBy(KeySelector<E, String> slice) {
            this.slice = slice;
            return this;
        }

        /** Where an event falls in event time; the record timestamp unless said otherwise. */
        public Builder<E, A> windowTime(WindowTime<E> windowTime) {
            this.windowTime = windowTime;
            return this;
        }

        public Builder<E, A> windows(Duration period, Duration allowedLateness) {
            this.period = period;
            this.allowedLateness = allowedLateness;
            return this;
        }

        public Builder<E, A> rollUp(List<RollUpLevel> levels) {
            this.rollUp = levels;
            return this;
        }

        /** The codec of the accumulator's byte form, which also creates empty accumulators. */
        public Builder<E, A> accumulator(AccumulatorCodec<A> codec) {
            this.codec = codec;
            this.create = codec::create;
            return this;
        }

        /**
         * How an event counts into the accumulator, for events scored against something of the run
         * (such as an exposure reference) that the accumulator and its codec must not hold: state
         * and serializer snapshots would carry it, and a restored accumulator keep the one of the
         * run that wrote it. Without it, the accumulator's own {@link SliceAccumulator#add}.
         */
        public Builder<E, A> countedBy(AccumulatorAggregate.Count<E, A> count) {
            this.count = count;
            return this;
        }

        public Builder<E, A> report(
                FlatMapFunction<SliceTally<A>, MetricPoint> report, String uid, String name) {
            this.report = report;
            this.reportUid = uid;
            this.reportName = name;
            return this;
        }

        /**
         * The uids of the four stages, for a family whose earlier operators were not named after it
         * (their savepoints map state by uid); without it they follow from the name.
         */
        public Builder<E, A> uids(
                String preAggregation, String perSlice, String rollUp, String totals) {
            this.uids =
                    Map.of(
                            "pre-aggregation", preAggregation,
                            "per-slice", perSlice,
                            "roll-up", rollUp,
                            "totals", totals);
            return this;
        }

        /**
         * The tally class of the family's totals before the sliced-metric stages, which kept its
         * open windows' labels under it in a state that savepoints of those versions still carry.
         */
        public Builder<E, A> previousTally(Class<?> tallyClass) {
            this.previousTally = tallyClass;
            return this;
        }

        public SlicedMetric<E, A> build() {
            return new SlicedMetric<>(this);
        }
    }
}
