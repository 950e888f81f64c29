package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ReferenceUpdate;
import io.recsys.monitor.operators.preaggregation.BroadcastWindowPreAggregation;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * Drift's panes sketched in the subtask that produces the predictions, before the shuffle to the
 * drift operator keyed by model version ({@link RollingDriftFunction}): each subtask sends one
 * {@link DriftPanePartial} per model version and pane when its watermark passes the pane's end, so
 * that a recommender that serves one model version spreads its sketching over every subtask and the
 * keyed operator merges a few partials per pane instead of sketching every event.
 *
 * <p>Lateness stays the drift operator's decision: an event whose pane this subtask's watermark has
 * passed goes on at once as a partial of its own (an allowed lateness of 0 here), so it meets the
 * drift operator's watermark exactly as the event itself did. At most {@code maxPanes} panes are
 * held; an event that would open another also goes on alone, for the drift operator's pane limit.
 *
 * <p>The reference profiles come on the broadcast input, as to the drift operator, and are kept in
 * broadcast state ({@link #REFERENCES}) for a restore; the pending panes are operator state.
 */
public final class DriftPreAggregation
        extends BroadcastWindowPreAggregation<
                PredictionEvent, ReferenceUpdate, PaneSketch, DriftPanePartial> {
    private static final long serialVersionUID = 1L;

    /** Model version (or {@code default}) to that model's profile, as single-model JSON. */
    static final org.apache.flink.api.common.state.MapStateDescriptor<String, String> REFERENCES =
            RollingDriftFunction.REFERENCES;

    private final DriftPaneAggregate aggregate;

    private transient DriftReferences references;
    private transient BroadcastState<String, String> referenceState;
    private transient int subtask;

    /**
     * @param slideMillis the drift slide, the length of a pane
     * @param maxPanes the panes held at most (the drift operator's limit per model version)
     */
    public DriftPreAggregation(long slideMillis, int maxCategories, int exactValues, int maxPanes) {
        this(new DriftPaneAggregate(maxCategories, exactValues), slideMillis, maxPanes);
    }

    private DriftPreAggregation(DriftPaneAggregate aggregate, long slideMillis, int maxPanes) {
        super(
                aggregate,
                p -> p.modelVersion,
                (p, recordTimestamp) -> p.eventTime,
                slideMillis,
                0,
                new ListStateDescriptor<>("drift-pending-partials", DriftPanePartial.TYPE));
        this.aggregate = aggregate;
        holdAtMostWindows(maxPanes);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        references = new DriftReferences();
        aggregate.use(references);
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        super.initializeState(context);
        referenceState = context.getOperatorStateStore().getBroadcastState(REFERENCES);
        for (Map.Entry<String, String> e : referenceState.entries()) {
            references.load(e.getKey(), e.getValue());
        }
    }

    @Override
    protected void onBroadcast(ReferenceUpdate update) throws Exception {
        referenceState.putAll(references.apply(update));
    }

    @Override
    protected DriftPanePartial partial(String modelVersion, long paneStart, PaneSketch pane) {
        return new DriftPanePartial(modelVersion, paneStart, subtask, pane);
    }

    @Override
    protected String sliceOf(DriftPanePartial partial) {
        return partial.modelVersion;
    }

    @Override
    protected long windowStartOf(DriftPanePartial partial) {
        return partial.paneStart;
    }

    @Override
    protected PaneSketch aggregateOf(DriftPanePartial partial) {
        return partial.sketch;
    }
}
