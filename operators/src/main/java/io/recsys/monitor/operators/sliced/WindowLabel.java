package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceTally;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Labels the accumulator of a keyed window with the slice it was keyed by and the window's bounds;
 * the slice is its own source.
 */
public class WindowLabel<A> extends ProcessWindowFunction<A, SliceTally<A>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String slice, Context context, Iterable<A> accumulators, Collector<SliceTally<A>> out) {
        SliceTally<A> tally =
                new SliceTally<>(
                        slice,
                        context.window().getStart(),
                        context.window().getEnd(),
                        accumulators.iterator().next());
        tally.sourceSlice = slice;
        out.collect(tally);
    }
}
