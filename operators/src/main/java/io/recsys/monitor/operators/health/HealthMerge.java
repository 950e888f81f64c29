package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.HealthTally;
import org.apache.flink.api.common.functions.ReduceFunction;

/** Merges the health counts of one slice and window: sums counters, merges latency sketches. */
public class HealthMerge implements ReduceFunction<HealthTally> {
    private static final long serialVersionUID = 1L;

    private final int maxErrorTypes;

    public HealthMerge(int maxErrorTypes) {
        this.maxErrorTypes = maxErrorTypes;
    }

    @Override
    public HealthTally reduce(HealthTally a, HealthTally b) {
        a.counts.merge(b.counts, maxErrorTypes);
        return a;
    }
}
