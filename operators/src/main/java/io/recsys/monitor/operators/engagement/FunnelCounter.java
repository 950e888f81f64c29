package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Counts the funnel of one window incrementally, so a window holds counters, not events. */
public class FunnelCounter
        implements AggregateFunction<EngagementSignal, EngagementCounts, EngagementCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public EngagementCounts createAccumulator() {
        return new EngagementCounts();
    }

    @Override
    public EngagementCounts add(EngagementSignal signal, EngagementCounts counts) {
        return counts.add(signal);
    }

    @Override
    public EngagementCounts getResult(EngagementCounts counts) {
        return counts;
    }

    @Override
    public EngagementCounts merge(EngagementCounts a, EngagementCounts b) {
        return a.merge(b);
    }
}
