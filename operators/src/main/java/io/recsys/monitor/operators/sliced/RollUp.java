package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceAccumulator;
import io.recsys.monitor.model.SliceTally;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the tally of a fine slice to every slice it belongs to: itself, then each coarser level in
 * the order of the description's levels. Each copy owns its accumulator, since the receivers merge
 * into them, and names the fine slice it came from, so that the totals ({@link WindowTotals}) can
 * replace a slice's contribution when its window fires again with late events.
 */
public class RollUp<A extends SliceAccumulator<?, A>>
        implements FlatMapFunction<SliceTally<A>, SliceTally<A>> {
    private static final long serialVersionUID = 1L;

    private final List<RollUpLevel> levels;

    public RollUp(List<RollUpLevel> levels) {
        this.levels = List.copyOf(levels);
    }

    @Override
    public void flatMap(SliceTally<A> tally, Collector<SliceTally<A>> out) {
        String source = tally.slice;
        tally.sourceSlice = source;
        out.collect(tally);
        for (RollUpLevel level : levels) {
            String coarse = level.coarser(source);
            if (coarse != null) {
                SliceTally<A> copy =
                        new SliceTally<>(
                                coarse,
                                tally.windowStart,
                                tally.windowEnd,
                                tally.accumulator.copy());
                copy.sourceSlice = source;
                out.collect(copy);
            }
        }
    }
}
