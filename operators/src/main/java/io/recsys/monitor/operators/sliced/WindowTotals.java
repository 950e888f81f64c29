package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceAccumulator;
import io.recsys.monitor.model.SliceTally;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * The second stage of the two-stage roll-up, keyed by slice: the total of a slice and window is the
 * sum of the latest accumulator of each fine slice that rolls up into it. It emits the total when
 * the watermark passes the window's end, and again, corrected, when a fine slice's window fires
 * again with late events: that slice's earlier accumulator is replaced, not added to, because a
 * re-fired window emits its whole new count.
 *
 * <p>A correction is emitted once per watermark advance, not once per late tally: the late tallies
 * that arrive between two watermarks (one per upstream subtask and fine slice, each a whole new
 * count) only mark their window as corrected, and an event-time timer one millisecond after the
 * current watermark emits every corrected window, oldest first, when the watermark next moves.
 * Timers of one key and time are one timer, so any number of late tallies share it.
 *
 * <p>Keyed by slice, not by slice and window, so that every window of a series is emitted by one
 * subtask in event-time order, which the alarm engine's M-of-N evaluation relies on. State per key
 * is one accumulator per fine slice (a handful) per window still within its allowed lateness; the
 * open windows are read from its keys, so that a total needs no labels of its own in state. The
 * fine accumulators are summed in the order of their keys, so that a total does not depend on the
 * order in which they arrived (sums of doubles, capped maps and sketches do).
 *
 * <p>The state names are those of the totals stages of earlier versions, so that their savepoints
 * restore. Those stages also kept each open window's labels in a state {@code open-windows}, which
 * a savepoint carries forever unless some operator registers it: a family whose savepoints have it
 * names the class of its values ({@link #WindowTotals(long, long, SerializableSupplier,
 * TypeInformation, Class)}), and each key's labels are dropped when the key is next processed or
 * its timer fires (every window there has its end-of-lateness timer, restored with it). The labels
 * need no migration: the contributions they went with restore under their own name, and this stage
 * reads a key's open windows from those.
 *
 * @param <A> the accumulator
 */
public class WindowTotals<A extends SliceAccumulator<?, A>>
        extends KeyedProcessFunction<String, SliceTally<A>, SliceTally<A>>
        implements ResultTypeQueryable<SliceTally<A>> {
    private static final long serialVersionUID = 1L;

    private final long periodMillis;
    private final long allowedLatenessMillis;
    private final SerializableSupplier<A> create;
    private final TypeInformation<A> accumulatorType;

    /** The class of the values of {@code open-windows} in earlier savepoints, or null if none. */
    private final Class<?> previousTally;

    /** Window start + '/' + fine slice key -> that slice's latest accumulator. */
    private transient MapState<String, A> bySourceSlice;

    /** Window start of a reported window whose accumulators changed since it was last emitted. */
    private transient MapState<Long, Boolean> corrected;

    /** Restored labels of the open windows (earlier versions), dropped key by key; or null. */
    private transient MapState<Long, ?> previousOpenWindows;

    private transient Counter tooLate;
    private transient Counter corrections;

    public WindowTotals(
            long periodMillis,
            long allowedLatenessMillis,
            SerializableSupplier<A> create,
            TypeInformation<A> accumulatorType) {
        this(periodMillis, allowedLatenessMillis, create, accumulatorType, null);
    }

    /**
     * Totals that also drop the {@code open-windows} state that the totals of earlier versions
     * kept, with values of {@code previousTally}: a POJO whose {@code counts} are an accumulator.
     */
    public WindowTotals(
            long periodMillis,
            long allowedLatenessMillis,
            SerializableSupplier<A> create,
            TypeInformation<A> accumulatorType,
            Class<?> previousTally) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        if (allowedLatenessMillis <= 0) {
            throw new IllegalArgumentException("allowed lateness must be positive");
        }
        this.periodMillis = periodMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.create = create;
        this.accumulatorType = accumulatorType;
        this.previousTally = previousTally;
    }

    /** The tallies' type, which erasure hides from Flink's type extraction. */
    @Override
    public TypeInformation<SliceTally<A>> getProducedType() {
        return SliceTally.typeInfo(accumulatorType);
    }

    @Override
    public void open(OpenContext openContext) {
        bySourceSlice =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "tally-by-window-and-source-slice",
                                        Types.STRING,
                                        accumulatorType));
        corrected =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "corrected-windows", Types.LONG, Types.BOOLEAN));
        if (previousTally != null) {
            previousOpenWindows =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "open-windows",
                                            Types.LONG,
                                            previousTallyType(previousTally, accumulatorType)));
        }
        var group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        tooLate = group.counter("rollUpTalliesTooLate");
        corrections = group.counter("rollUpCorrections");
    }

    @Override
    public void processElement(SliceTally<A> tally, Context ctx, Collector<SliceTally<A>> out)
            throws Exception {
        dropPreviousOpenWindows();
        long firing = tally.windowEnd - 1;
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= firing + allowedLatenessMillis) {
            // The windows upstream drop data this late before it gets here; kept as a guard.
            tooLate.inc();
            return;
        }
        String prefix = tally.windowStart + "/";
        boolean open = hasWindow(prefix);
        bySourceSlice.put(prefix + tally.sourceSlice, tally.accumulator);
        if (!open) {
            ctx.timerService().registerEventTimeTimer(firing);
            ctx.timerService().registerEventTimeTimer(firing + allowedLatenessMillis);
        }
        if (watermark >= firing) {
            // The window has been reported: a correction, emitted when the watermark next moves
            // (at most at the window's end of lateness, when its state goes).
            corrected.put(tally.windowStart, true);
            ctx.timerService().registerEventTimeTimer(watermark + 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SliceTally<A>> out)
            throws Exception {
        dropPreviousOpenWindows();
        TreeMap<Long, TreeMap<String, A>> windows = openWindows();
        for (Map.Entry<Long, TreeMap<String, A>> window : windows.entrySet()) {
            long windowStart = window.getKey();
            long firing = windowStart + periodMillis - 1;
            if (timestamp == firing) {
                out.collect(total(ctx.getCurrentKey(), windowStart, window.getValue()));
                corrected.remove(windowStart);
            } else if (firing < timestamp && corrected.contains(windowStart)) {
                corrections.inc();
                out.collect(total(ctx.getCurrentKey(), windowStart, window.getValue()));
                corrected.remove(windowStart);
            }
            if (timestamp == firing + allowedLatenessMillis) {
                for (String key : window.getValue().keySet()) {
                    bySourceSlice.remove(key);
                }
                corrected.remove(windowStart);
            }
        }
        if (bySourceSlice.isEmpty()) {
            corrected.clear();
        }
    }

    private void dropPreviousOpenWindows() {
        if (previousOpenWindows != null) {
            previousOpenWindows.clear();
        }
    }

    /**
     * The type under which earlier versions kept a window's labels: the POJO {@code tallyClass},
     * its {@code counts} now of the accumulator's type, which reads what those versions wrote (the
     * POJO serializer of the counts, or an earlier form of the codec) and rewrites it.
     */
    static <A> TypeInformation<?> previousTallyType(
            Class<?> tallyClass, TypeInformation<A> accumulatorType) {
        List<PojoField> fields = new ArrayList<>();
        for (Field field : tallyClass.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                fields.add(
                        new PojoField(
                                field,
                                field.getName().equals("counts")
                                        ? accumulatorType
                                        : TypeInformation.of(field.getType())));
            }
        }
        return new PojoTypeInfo<>(tallyClass, fields);
    }

    private boolean hasWindow(String prefix) throws Exception {
        for (String key : bySourceSlice.keys()) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The open windows, oldest first, each with its contributions in the order of their keys. */
    private TreeMap<Long, TreeMap<String, A>> openWindows() throws Exception {
        TreeMap<Long, TreeMap<String, A>> windows = new TreeMap<>();
        for (Map.Entry<String, A> e : bySourceSlice.entries()) {
            String key = e.getKey();
            long windowStart = Long.parseLong(key.substring(0, key.indexOf('/')));
            windows.computeIfAbsent(windowStart, w -> new TreeMap<>()).put(key, e.getValue());
        }
        return windows;
    }

    private SliceTally<A> total(String slice, long windowStart, TreeMap<String, A> contributions) {
        A sum = create.get();
        for (A contribution : contributions.values()) {
            sum = sum.merge(contribution);
        }
        SliceTally<A> total = new SliceTally<>(slice, windowStart, windowStart + periodMillis, sum);
        total.sourceSlice = slice;
        return total;
    }
}
