package io.recsys.monitor.operators.drift;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The events added to each model version's panes since those panes were last written to keyed
 * state, as one {@link PaneSketch} per pane (a delta). On RocksDB every read of a pane deserializes
 * and every write serializes its kilobytes of sketches, so the drift operator adds events to these
 * heap deltas and merges each into keyed state once per slide instead of once per event.
 *
 * <p>Plain Java, for one operator instance (not thread-safe); the operator checkpoints the deltas
 * itself.
 */
final class PendingPanes {
    private final int maxCategories;
    private final int exactValues;
    private final Map<String, Map<Long, PaneSketch>> byModel = new HashMap<>();
    private int size;

    PendingPanes(int maxCategories, int exactValues) {
        this.maxCategories = maxCategories;
        this.exactValues = exactValues;
    }

    /** The pane's delta, or null when no event has come to it since it was last written. */
    PaneSketch get(String modelVersion, long pane) {
        return byModel.getOrDefault(modelVersion, Map.of()).get(pane);
    }

    /** Starts the pane's delta, for the first event since the pane was last written. */
    PaneSketch open(String modelVersion, long pane) {
        Map<Long, PaneSketch> deltas = byModel.computeIfAbsent(modelVersion, m -> new HashMap<>());
        if (deltas.containsKey(pane)) {
            throw new IllegalStateException(
                    "pane " + pane + " of " + modelVersion + " already has a delta");
        }
        PaneSketch delta = new PaneSketch(maxCategories, exactValues);
        deltas.put(pane, delta);
        size++;
        return delta;
    }

    /**
     * The panes a model version holds: those of {@code inState} (its panes in keyed state) and
     * those only pending here, each once, as if every delta had been written.
     */
    int held(String modelVersion, Iterable<Long> inState) {
        Set<Long> panes = new HashSet<>(byModel.getOrDefault(modelVersion, Map.of()).keySet());
        inState.forEach(panes::add);
        return panes.size();
    }

    /** Removes a model version's deltas, pane start to delta, to be written to keyed state. */
    Map<Long, PaneSketch> drain(String modelVersion) {
        Map<Long, PaneSketch> deltas = byModel.remove(modelVersion);
        if (deltas == null) {
            return Collections.emptyMap();
        }
        size -= deltas.size();
        return deltas;
    }

    /**
     * Takes back a delta from a checkpoint; should the pane already have one (a checkpoint written
     * by several instances), the two merge.
     */
    void restore(String modelVersion, long pane, PaneSketch delta) {
        PaneSketch held = get(modelVersion, pane);
        if (held == null) {
            byModel.computeIfAbsent(modelVersion, m -> new HashMap<>()).put(pane, delta);
            size++;
        } else {
            held.merge(delta);
        }
    }

    /** Every delta, model version to pane start to delta (a read-only view, for checkpoints). */
    Map<String, Map<Long, PaneSketch>> all() {
        return Collections.unmodifiableMap(byModel);
    }

    /** Deltas held, over all model versions. */
    int size() {
        return size;
    }
}
