package io.recsys.monitor.operators.health;

import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.operators.preaggregation.LateArrivalCount;

/**
 * Counts the responses later than the health windows' allowed lateness ({@code
 * metrics.health-allowed-lateness}), which no health window counts any more: in the {@code
 * lateHealthResponses} Flink counter, a job accumulator, and the overall {@code LateResponses}
 * metric of the health window in which they arrived ({@link LateArrivalCount}).
 */
public class LateResponseCount extends LateArrivalCount<ServiceHealthCounts> {
    private static final long serialVersionUID = 1L;

    public LateResponseCount(String namespace, long periodMillis, String accumulatorName) {
        super(
                namespace,
                MetricNames.LATE_RESPONSES,
                periodMillis,
                "late-responses-by-window",
                "lateHealthResponses",
                accumulatorName);
    }

    @Override
    protected long counted(ServiceHealthCounts counts) {
        return counts.requests;
    }
}
