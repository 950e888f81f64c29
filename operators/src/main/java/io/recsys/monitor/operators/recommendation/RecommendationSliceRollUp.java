package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the sketch of a (model version, segment) slice to every coarser slice it belongs to:
 * itself, its model version, and overall, where the sketches are merged.
 */
public class RecommendationSliceRollUp
        implements FlatMapFunction<RecommendationTally, RecommendationTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(RecommendationTally tally, Collector<RecommendationTally> out) {
        out.collect(tally);
        if (tally.modelVersion != null && tally.userSegment != null) {
            out.collect(
                    new RecommendationTally(
                            tally.modelVersion,
                            null,
                            tally.windowStart,
                            tally.windowEnd,
                            tally.sketch.copy()));
        }
        if (tally.modelVersion != null) {
            out.collect(
                    new RecommendationTally(
                            null, null, tally.windowStart, tally.windowEnd, tally.sketch.copy()));
        }
    }

    /** The key of a tally's slice. */
    public static String sliceKey(RecommendationTally tally) {
        return TrafficSlice.key(tally.modelVersion, tally.userSegment);
    }
}
