package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementTally;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second stage of a two-stage roll-up, keyed by coarse slice ({@link TrafficSlice#key}): the
 * total of a slice and window is the sum of the latest tally of each fine slice that rolls up into
 * it. It emits the total when the watermark passes the window's end, and again, corrected, when a
 * fine slice's window fires again with late data: that slice's earlier tally is replaced, not added
 * to, because a re-fired window emits its whole new count.
 *
 * <p>A correction is emitted once per watermark advance, not once per late tally: the late tallies
 * that arrive between two watermarks (one per upstream subtask and fine slice, each a whole new
 * count) only mark their window as corrected, and an event-time timer one millisecond after the
 * current watermark emits every corrected window, oldest first, when the watermark next moves.
 * Timers of one key and time are one timer, so any number of late tallies share it.
 *
 * <p>Keyed by slice, not by slice and window, so that every window of a series is emitted by one
 * subtask in event-time order, which the alarm engine's M-of-N evaluation relies on. State per key
 * is one tally per fine slice (a handful) per window still within its allowed lateness. The fine
 * tallies are summed in the order of their keys, so that a total does not depend on the order in
 * which they arrived (sums of doubles, capped maps and sketches do).
 *
 * <p>What a tally and its counts are is a {@link Family}: the engagement funnel ({@link
 * #engagement}). The sliced metrics have the same stage, written for any accumulator ({@code
 * operators.sliced.WindowTotals}); engagement moves onto it when it becomes a sliced metric.
 *
 * @param <T> the tally: a slice's labels, a window and counts
 * @param <C> the counts, which merge
 */
public class SliceTotals<T, C> extends KeyedProcessFunction<String, T, T>
        implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    /**
     * What {@link SliceTotals} needs to know about a family of tallies: their window, the fine
     * slice a tally was counted in, and how counts merge.
     */
    public interface Family<T, C> extends Serializable {
        TypeInformation<T> tallyType();

        TypeInformation<C> countsType();

        long windowStart(T tally);

        long windowEnd(T tally);

        /** The key of the fine slice a tally was counted in (set by the roll-up). */
        String sourceSlice(T tally);

        C counts(T tally);

        C emptyCounts();

        /**
         * Adds {@code from} into {@code into}, which it returns; {@code from} is left unchanged.
         */
        C merge(C into, C from);

        /**
         * A tally of {@code labels}' slice and window with {@code counts}, named as its own source.
         */
        T withCounts(T labels, C counts);
    }

    private final long allowedLatenessMillis;
    private final Family<T, C> family;

    /** Window start + '/' + fine slice key -> that slice's latest counts. */
    private transient MapState<String, C> bySourceSlice;

    /** Window start -> the slice and window labels (counts empty). */
    private transient MapState<Long, T> windows;

    /** Window start of a reported window whose counts changed since it was last emitted. */
    private transient MapState<Long, Boolean> corrected;

    private transient Counter tooLate;
    private transient Counter corrections;

    /**
     * The engagement funnel's totals, with the state names and types of earlier versions (a
     * savepoint restores).
     */
    public static SliceTotals<EngagementTally, EngagementCounts> engagement(
            long allowedLatenessMillis) {
        return new SliceTotals<>(allowedLatenessMillis, new EngagementFamily());
    }

    public SliceTotals(long allowedLatenessMillis, Family<T, C> family) {
        if (allowedLatenessMillis <= 0) {
            throw new IllegalArgumentException("allowed lateness must be positive");
        }
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.family = family;
    }

    /** The tallies' type, which erasure hides from Flink's type extraction. */
    @Override
    public TypeInformation<T> getProducedType() {
        return family.tallyType();
    }

    @Override
    public void open(OpenContext openContext) {
        bySourceSlice =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "tally-by-window-and-source-slice",
                                        Types.STRING,
                                        family.countsType()));
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-windows", Types.LONG, family.tallyType()));
        corrected =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "corrected-windows", Types.LONG, Types.BOOLEAN));
        var group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        tooLate = group.counter("rollUpTalliesTooLate");
        corrections = group.counter("rollUpCorrections");
    }

    @Override
    public void processElement(T tally, Context ctx, Collector<T> out) throws Exception {
        long windowStart = family.windowStart(tally);
        long firing = family.windowEnd(tally) - 1;
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= firing + allowedLatenessMillis) {
            // The windows upstream drop data this late before it gets here; kept as a guard.
            tooLate.inc();
            return;
        }
        bySourceSlice.put(
                contributionKey(windowStart, family.sourceSlice(tally)), family.counts(tally));
        if (!windows.contains(windowStart)) {
            windows.put(windowStart, family.withCounts(tally, family.emptyCounts()));
            ctx.timerService().registerEventTimeTimer(firing);
            ctx.timerService().registerEventTimeTimer(firing + allowedLatenessMillis);
        }
        if (watermark >= firing) {
            // The window has been reported: a correction, emitted when the watermark next moves
            // (at most at the window's end of lateness, when its state goes).
            corrected.put(windowStart, true);
            ctx.timerService().registerEventTimeTimer(watermark + 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        List<T> open = new ArrayList<>();
        for (T labels : windows.values()) {
            open.add(labels);
        }
        open.sort((a, b) -> Long.compare(family.windowStart(a), family.windowStart(b)));
        for (T labels : open) {
            long windowStart = family.windowStart(labels);
            long firing = family.windowEnd(labels) - 1;
            if (timestamp == firing) {
                out.collect(total(labels));
                corrected.remove(windowStart);
            } else if (firing < timestamp && corrected.contains(windowStart)) {
                corrections.inc();
                out.collect(total(labels));
                corrected.remove(windowStart);
            }
            if (timestamp == firing + allowedLatenessMillis) {
                forget(windowStart);
            }
        }
        if (windows.isEmpty()) {
            windows.clear();
            bySourceSlice.clear();
            corrected.clear();
        }
    }

    private static String contributionKey(long windowStart, String sourceSlice) {
        return windowStart + "/" + sourceSlice;
    }

    private T total(T labels) throws Exception {
        String prefix = family.windowStart(labels) + "/";
        TreeMap<String, C> contributions = new TreeMap<>();
        for (Map.Entry<String, C> e : bySourceSlice.entries()) {
            if (e.getKey().startsWith(prefix)) {
                contributions.put(e.getKey(), e.getValue());
            }
        }
        C sum = family.emptyCounts();
        for (C c : contributions.values()) {
            sum = family.merge(sum, c);
        }
        return family.withCounts(labels, sum);
    }

    private void forget(long windowStart) throws Exception {
        String prefix = windowStart + "/";
        List<String> keys = new ArrayList<>();
        for (String key : bySourceSlice.keys()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        for (String key : keys) {
            bySourceSlice.remove(key);
        }
        windows.remove(windowStart);
        corrected.remove(windowStart);
    }

    /** The engagement funnel: {@link EngagementTally} and {@link EngagementCounts}. */
    private static final class EngagementFamily
            implements Family<EngagementTally, EngagementCounts> {
        private static final long serialVersionUID = 1L;

        @Override
        public TypeInformation<EngagementTally> tallyType() {
            return TypeInformation.of(EngagementTally.class);
        }

        @Override
        public TypeInformation<EngagementCounts> countsType() {
            return TypeInformation.of(EngagementCounts.class);
        }

        @Override
        public long windowStart(EngagementTally tally) {
            return tally.windowStart;
        }

        @Override
        public long windowEnd(EngagementTally tally) {
            return tally.windowEnd;
        }

        @Override
        public String sourceSlice(EngagementTally tally) {
            return tally.sourceSlice;
        }

        @Override
        public EngagementCounts counts(EngagementTally tally) {
            return tally.counts;
        }

        @Override
        public EngagementCounts emptyCounts() {
            return new EngagementCounts();
        }

        @Override
        public EngagementCounts merge(EngagementCounts into, EngagementCounts from) {
            return into.merge(from);
        }

        @Override
        public EngagementTally withCounts(EngagementTally labels, EngagementCounts counts) {
            EngagementTally tally =
                    new EngagementTally(
                            labels.modelVersion,
                            labels.userSegment,
                            labels.windowStart,
                            labels.windowEnd,
                            counts);
            tally.sourceSlice = TrafficSlice.key(labels.modelVersion, labels.userSegment);
            return tally;
        }
    }
}
