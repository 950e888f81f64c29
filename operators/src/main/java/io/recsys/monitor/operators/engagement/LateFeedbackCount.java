package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.operators.preaggregation.LateArrivalCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;

/**
 * Counts late feedback ({@link LateArrivalCount}) in the {@code lateFeedback} Flink counter, a job
 * accumulator for the replay summary, and the overall {@code LateFeedback} metric. Two paths lead
 * here, disjoint: engagement signals later than the funnel windows' allowed lateness (the
 * attribution window), from the windows' late side output; and feedback that {@link
 * FeedbackAttribution} could not attribute because it was late, as the partial count of one action.
 * Late served responses are counted only in the {@code lateResponses} counter.
 */
public class LateFeedbackCount extends LateArrivalCount<EngagementCounts> {
    private static final long serialVersionUID = 1L;

    /** The one key of this function's input. */
    public static final String KEY = LateArrivalCount.KEY;

    private transient Counter lateResponses;

    public LateFeedbackCount(String namespace, long periodMillis, String accumulatorName) {
        super(
                namespace,
                MetricNames.LATE_FEEDBACK,
                periodMillis,
                "late-feedback-by-window",
                "lateFeedback",
                accumulatorName);
    }

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        lateResponses =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("kinesisanalytics")
                        .counter("lateResponses");
    }

    @Override
    protected long counted(EngagementCounts counts) {
        lateResponses.inc(counts.responses);
        return counts.impressions
                + counts.clicks
                + counts.addToCarts
                + counts.purchases
                + counts.unattributed
                + counts.rankedResponses;
    }
}
