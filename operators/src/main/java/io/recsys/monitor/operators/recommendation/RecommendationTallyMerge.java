package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.operators.sliced.PreviousReleaseContents;
import org.apache.flink.api.common.functions.ReduceFunction;

/**
 * The merge window of the release before the sliced-metric stages (uid {@code
 * recommendation-quality-metrics}), kept so that the windows a savepoint of that release holds are
 * not lost: their sketches are already rolled up to model version and overall. Fed by no events any
 * more, the window only fires what it restored ({@link Restored}, a {@link
 * PreviousReleaseContents}). Remove it with the release after this one.
 */
public class RecommendationTallyMerge implements ReduceFunction<RecommendationTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public RecommendationTally reduce(RecommendationTally a, RecommendationTally b) {
        a.sketch.merge(b.sketch);
        return a;
    }

    /** Hands a restored window's sketch to the totals as a contribution of its own. */
    public static class Restored
            extends PreviousReleaseContents<RecommendationTally, RecommendationSketch> {
        private static final long serialVersionUID = 1L;

        @Override
        protected RecommendationSketch accumulatorOf(RecommendationTally merged) {
            return merged.sketch;
        }
    }
}
