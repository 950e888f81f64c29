package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.SliceTally;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The merge window of the release before the sliced-metric stages (uid {@code
 * recommendation-quality-metrics}), kept so that the windows a savepoint of that release holds are
 * not lost: their sketches are already rolled up to model version and overall, which no stage of
 * the sliced metric can take in as they are. Fed by no events any more, the window only fires what
 * it restored, as totals of a source slice of their own ({@link #PREVIOUS_RELEASE}) that the totals
 * stage adds to the slice's other contributions. Remove it with the release after this one.
 */
public class RecommendationTallyMerge implements ReduceFunction<RecommendationTally> {
    private static final long serialVersionUID = 1L;

    /** The source slice of restored contents: no fine slice has this key. */
    public static final String PREVIOUS_RELEASE = "previous-release";

    @Override
    public RecommendationTally reduce(RecommendationTally a, RecommendationTally b) {
        a.sketch.merge(b.sketch);
        return a;
    }

    /** Hands a restored window's sketch to the totals as a contribution of its own. */
    public static class Restored
            implements WindowFunction<
                    RecommendationTally, SliceTally<RecommendationSketch>, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void apply(
                String slice,
                TimeWindow window,
                Iterable<RecommendationTally> merged,
                Collector<SliceTally<RecommendationSketch>> out) {
            RecommendationSketch sketch = merged.iterator().next().sketch;
            SliceTally<RecommendationSketch> total =
                    new SliceTally<>(slice, window.getStart(), window.getEnd(), sketch);
            total.sourceSlice = PREVIOUS_RELEASE;
            out.collect(total);
        }
    }
}
