package io.recsys.monitor.operators.recommendation;

import org.apache.flink.api.common.functions.ReduceFunction;

/** Merges the sketches that roll up into one slice and window. */
public class RecommendationTallyMerge implements ReduceFunction<RecommendationTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public RecommendationTally reduce(RecommendationTally a, RecommendationTally b) {
        a.sketch.merge(b.sketch);
        return a;
    }
}
