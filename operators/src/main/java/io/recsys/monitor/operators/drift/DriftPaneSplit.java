package io.recsys.monitor.operators.drift;

import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Divides each pane partial of the drift pre-aggregation into its drift units ({@link
 * PaneSketch#splitIntoUnits}), for the rolling drift stage keyed by model version and unit. It runs
 * chained to the pre-aggregation, after the pane was sketched whole: before any reference is known
 * the pane caps the features it sketches, which only the whole pane can do. A unit keeps its
 * partial's source subtask (the merge order of a pane's parts) and timestamp.
 */
public final class DriftPaneSplit implements FlatMapFunction<DriftPanePartial, DriftUnitPartial> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(DriftPanePartial partial, Collector<DriftUnitPartial> out) {
        for (Map.Entry<String, PaneSketch> unit : partial.sketch.splitIntoUnits().entrySet()) {
            out.collect(
                    DriftUnitPartial.part(
                            partial.modelVersion,
                            unit.getKey(),
                            partial.paneStart,
                            partial.source,
                            unit.getValue()));
        }
    }
}
