package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementTally;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the tally of a (model version, segment) slice to every coarser slice it belongs to: itself,
 * its model version, and overall. Unattributed feedback has no model version and only counts
 * overall.
 */
public class SliceRollUp implements FlatMapFunction<EngagementTally, EngagementTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(EngagementTally tally, Collector<EngagementTally> out) {
        if (tally.modelVersion != null) {
            out.collect(tally);
            if (tally.userSegment != null) {
                out.collect(
                        new EngagementTally(
                                tally.modelVersion,
                                null,
                                tally.windowStart,
                                tally.windowEnd,
                                tally.counts.copy()));
            }
        }
        out.collect(
                new EngagementTally(
                        null, null, tally.windowStart, tally.windowEnd, tally.counts.copy()));
    }

    /** The key of a tally's slice. */
    public static String sliceKey(EngagementTally tally) {
        return TrafficSlice.key(tally.modelVersion, tally.userSegment);
    }
}
