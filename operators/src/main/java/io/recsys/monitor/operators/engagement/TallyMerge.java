package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementTally;
import org.apache.flink.api.common.functions.ReduceFunction;

/** Adds up the tallies that roll up into one slice and window. */
public class TallyMerge implements ReduceFunction<EngagementTally> {
    private static final long serialVersionUID = 1L;

    @Override
    public EngagementTally reduce(EngagementTally a, EngagementTally b) {
        a.counts.merge(b.counts);
        return a;
    }
}
