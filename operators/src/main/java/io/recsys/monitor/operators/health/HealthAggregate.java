package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Counts the responses of one window and slice into {@link ServiceHealthCounts}. */
public class HealthAggregate
        implements AggregateFunction<PredictionEvent, ServiceHealthCounts, ServiceHealthCounts> {
    private static final long serialVersionUID = 1L;

    private final int maxErrorTypes;

    public HealthAggregate(int maxErrorTypes) {
        this.maxErrorTypes = maxErrorTypes;
    }

    @Override
    public ServiceHealthCounts createAccumulator() {
        return new ServiceHealthCounts();
    }

    @Override
    public ServiceHealthCounts add(PredictionEvent prediction, ServiceHealthCounts counts) {
        counts.add(prediction, maxErrorTypes);
        return counts;
    }

    @Override
    public ServiceHealthCounts getResult(ServiceHealthCounts counts) {
        return counts;
    }

    @Override
    public ServiceHealthCounts merge(ServiceHealthCounts a, ServiceHealthCounts b) {
        return a.merge(b, maxErrorTypes);
    }
}
