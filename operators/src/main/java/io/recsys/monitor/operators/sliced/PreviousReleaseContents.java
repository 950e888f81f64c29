package io.recsys.monitor.operators.sliced;

import io.recsys.monitor.model.SliceTally;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The window function of a family's merge window of the release before the sliced-metric stages,
 * kept under its old uid and fed nothing, so that the contents a savepoint of that release holds
 * (already rolled up per slice, which no stage of the sliced metric can take in as they are) reach
 * the totals: each fires as the total of a source slice of its own ({@link #SOURCE_SLICE}), which
 * {@link WindowTotals} adds to the slice's other contributions.
 *
 * @param <T> the merge window's contents, as that release kept them
 * @param <A> the sliced metric's accumulator
 */
public abstract class PreviousReleaseContents<T, A>
        implements WindowFunction<T, SliceTally<A>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** The source slice of restored contents: no fine slice has this key. */
    public static final String SOURCE_SLICE = "previous-release";

    /** The accumulator of a restored window's merged contents. */
    protected abstract A accumulatorOf(T merged);

    @Override
    public void apply(
            String slice, TimeWindow window, Iterable<T> merged, Collector<SliceTally<A>> out) {
        SliceTally<A> total =
                new SliceTally<>(
                        slice,
                        window.getStart(),
                        window.getEnd(),
                        accumulatorOf(merged.iterator().next()));
        total.sourceSlice = SOURCE_SLICE;
        out.collect(total);
    }
}
