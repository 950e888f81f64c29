package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.HealthTally;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.engagement.TrafficSlice;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the health counts of a (model version, segment) slice to every slice it belongs to: itself,
 * its model version and overall. Each copy owns its sketch, since the receivers merge into them.
 */
public class HealthRollUp implements FlatMapFunction<HealthTally, HealthTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(HealthTally tally, Collector<HealthTally> out) {
        out.collect(tally);
        if (tally.modelVersion != null && tally.userSegment != null) {
            out.collect(
                    new HealthTally(
                            tally.modelVersion,
                            null,
                            tally.windowStart,
                            tally.windowEnd,
                            copy(tally.counts)));
        }
        if (tally.modelVersion != null) {
            out.collect(
                    new HealthTally(
                            null, null, tally.windowStart, tally.windowEnd, copy(tally.counts)));
        }
    }

    private static ServiceHealthCounts copy(ServiceHealthCounts counts) {
        return ServiceHealthCounts.Serializer.INSTANCE.copy(counts);
    }

    /** The key of a tally's slice. */
    public static String sliceKey(HealthTally tally) {
        return TrafficSlice.key(tally.modelVersion, tally.userSegment);
    }
}
