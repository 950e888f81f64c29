package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.PredictionEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Sketches prediction events into a {@link PaneSketch} with the reference profile in force for
 * their model version, and merges panes: the aggregate of the drift pre-aggregation. The profiles
 * are the operator's ({@link #use}); until it hands them over, every feature is sketched by its
 * JSON type, as before the first reference arrives.
 */
final class DriftPaneAggregate
        implements AggregateFunction<PredictionEvent, PaneSketch, PaneSketch> {
    private static final long serialVersionUID = 1L;

    private final int maxCategories;
    private final int exactValues;
    private transient DriftReferences references;

    DriftPaneAggregate(int maxCategories, int exactValues) {
        this.maxCategories = maxCategories;
        this.exactValues = exactValues;
    }

    /** Sketches with the profiles of {@code inForce} from now on. */
    void use(DriftReferences inForce) {
        this.references = inForce;
    }

    @Override
    public PaneSketch createAccumulator() {
        return new PaneSketch(maxCategories, exactValues);
    }

    @Override
    public PaneSketch add(PredictionEvent event, PaneSketch pane) {
        DriftReferences.InForce reference =
                references == null ? null : references.forModel(event.modelVersion);
        pane.add(event, reference == null ? null : reference.profile);
        return pane;
    }

    @Override
    public PaneSketch getResult(PaneSketch pane) {
        return pane;
    }

    @Override
    public PaneSketch merge(PaneSketch a, PaneSketch b) {
        a.merge(b);
        return a;
    }
}
