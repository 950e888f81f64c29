package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementTally;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the tally of a (model version, segment) slice to every coarser slice it belongs to: itself,
 * its model version, and overall. Unattributed feedback has no model version and only counts
 * overall. Every copy names the fine slice it came from, so that {@link SliceTotals} can replace a
 * slice's contribution when its window fires again with late feedback.
 */
public class SliceRollUp implements FlatMapFunction<EngagementTally, EngagementTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(EngagementTally tally, Collector<EngagementTally> out) {
        String source = TrafficSlice.key(tally.modelVersion, tally.userSegment);
        tally.sourceSlice = source;
        if (tally.modelVersion != null) {
            out.collect(tally);
            if (tally.userSegment != null) {
                out.collect(copy(tally, tally.modelVersion, source));
            }
        }
        out.collect(copy(tally, null, source));
    }

    private static EngagementTally copy(EngagementTally tally, String modelVersion, String source) {
        EngagementTally coarse =
                new EngagementTally(
                        modelVersion,
                        null,
                        tally.windowStart,
                        tally.windowEnd,
                        tally.counts.copy());
        coarse.sourceSlice = source;
        return coarse;
    }

    /** The key of a tally's slice. */
    public static String sliceKey(EngagementTally tally) {
        return TrafficSlice.key(tally.modelVersion, tally.userSegment);
    }
}
