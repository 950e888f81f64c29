package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Runs {@link FeedbackAttribution} and, once a savepoint of the previous release is restored and
 * before the first event, moves that release's per-request states into the function's one entry. A
 * function sees one key at a time; the migration needs every key of the restored state, which only
 * the operator's keyed state backend lists.
 */
public class FeedbackAttributionOperator
        extends KeyedCoProcessOperator<String, PredictionEvent, FeedbackEvent, EngagementSignal> {
    private static final long serialVersionUID = 1L;

    private final FeedbackAttribution attribution;

    public FeedbackAttributionOperator(FeedbackAttribution attribution) {
        super(attribution);
        this.attribution = attribution;
    }

    @Override
    public void open() throws Exception {
        super.open();
        attribution.migratePreviousRelease(getKeyedStateBackend());
    }
}
