package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second stage of the engagement roll-up, keyed by coarse slice ({@link SliceRollUp#sliceKey}):
 * the total of a slice and window is the sum of the latest tally of each fine slice that rolls up
 * into it. It emits the total when the watermark passes the window's end, and again, corrected,
 * whenever a fine slice's window fires again with late feedback: that slice's earlier tally is
 * replaced, not added to, because a re-fired window emits its whole new count.
 *
 * <p>Keyed by slice, not by slice and window, so that every window of a series is emitted by one
 * subtask in event-time order, which the alarm engine's M-of-N evaluation relies on. State per key
 * is one counter set per fine slice (a handful) per window still within its allowed lateness.
 */
public class SliceTotals extends KeyedProcessFunction<String, EngagementTally, EngagementTally> {
    private static final long serialVersionUID = 1L;

    private final long allowedLatenessMillis;

    /** Window start + '/' + fine slice key -> that slice's latest tally. */
    private transient MapState<String, EngagementCounts> bySourceSlice;

    /** Window start -> the slice and window labels (counts unused). */
    private transient MapState<Long, EngagementTally> windows;

    private transient Counter tooLate;

    public SliceTotals(long allowedLatenessMillis) {
        if (allowedLatenessMillis <= 0) {
            throw new IllegalArgumentException("allowed lateness must be positive");
        }
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(Configuration parameters) {
        bySourceSlice =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "tally-by-window-and-source-slice",
                                        Types.STRING,
                                        TypeInformation.of(EngagementCounts.class)));
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-windows",
                                        Types.LONG,
                                        TypeInformation.of(EngagementTally.class)));
        tooLate =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("rollUpTalliesTooLate");
    }

    @Override
    public void processElement(EngagementTally tally, Context ctx, Collector<EngagementTally> out)
            throws Exception {
        long firing = tally.windowEnd - 1;
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= firing + allowedLatenessMillis) {
            // The funnel windows drop feedback this late before it gets here; kept as a guard.
            tooLate.inc();
            return;
        }
        bySourceSlice.put(contributionKey(tally.windowStart, tally.sourceSlice), tally.counts);
        if (!windows.contains(tally.windowStart)) {
            windows.put(
                    tally.windowStart,
                    new EngagementTally(
                            tally.modelVersion,
                            tally.userSegment,
                            tally.windowStart,
                            tally.windowEnd,
                            new EngagementCounts()));
            ctx.timerService().registerEventTimeTimer(firing);
            ctx.timerService().registerEventTimeTimer(firing + allowedLatenessMillis);
        }
        if (watermark >= firing) {
            // The window has been reported: this is a correction.
            out.collect(total(windows.get(tally.windowStart)));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EngagementTally> out)
            throws Exception {
        List<EngagementTally> open = new ArrayList<>();
        for (EngagementTally labels : windows.values()) {
            open.add(labels);
        }
        open.sort((a, b) -> Long.compare(a.windowStart, b.windowStart));
        for (EngagementTally labels : open) {
            long firing = labels.windowEnd - 1;
            if (timestamp == firing) {
                out.collect(total(labels));
            }
            if (timestamp == firing + allowedLatenessMillis) {
                forget(labels.windowStart);
            }
        }
        if (windows.isEmpty()) {
            windows.clear();
            bySourceSlice.clear();
        }
    }

    private static String contributionKey(long windowStart, String sourceSlice) {
        return windowStart + "/" + sourceSlice;
    }

    private EngagementTally total(EngagementTally labels) throws Exception {
        String prefix = labels.windowStart + "/";
        EngagementCounts sum = new EngagementCounts();
        for (Map.Entry<String, EngagementCounts> e : bySourceSlice.entries()) {
            if (e.getKey().startsWith(prefix)) {
                sum.merge(e.getValue());
            }
        }
        EngagementTally total =
                new EngagementTally(
                        labels.modelVersion,
                        labels.userSegment,
                        labels.windowStart,
                        labels.windowEnd,
                        sum);
        total.sourceSlice = TrafficSlice.key(labels.modelVersion, labels.userSegment);
        return total;
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
    }
}
