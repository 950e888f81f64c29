package io.recsys.monitor.operators.drift;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pane partials ({@link DriftPanePartial}) that came to each model version's panes since those
 * panes were last written to keyed state, by source subtask (a delta). On RocksDB every read of a
 * pane deserializes and every write serializes its kilobytes of sketches, so the drift operator
 * keeps these heap deltas and merges each into keyed state once per slide instead of once per
 * partial. A pane's parts merge in the order of their source subtask ({@link #drain}), whatever the
 * order they arrived in: merging categories into a full pane is order-sensitive.
 *
 * <p>Plain Java, for one operator instance (not thread-safe); the operator checkpoints the deltas
 * itself.
 */
final class PendingPanes {
    /** The source of a delta restored from a release that kept one delta per pane. */
    static final int MERGED_SOURCES = -1;

    private final Map<String, Map<Long, TreeMap<Integer, PaneSketch>>> byModel = new HashMap<>();
    private int size;

    /** Whether the pane has a delta: a part has come to it since it was last written. */
    boolean has(String modelVersion, long pane) {
        return byModel.getOrDefault(modelVersion, Map.of()).containsKey(pane);
    }

    /**
     * Adds a source subtask's part of a pane to its delta; a second part of the same source (a late
     * event that came on alone) merges into the first. The delta keeps {@code part} itself.
     */
    void add(String modelVersion, long pane, int source, PaneSketch part) {
        TreeMap<Integer, PaneSketch> parts =
                byModel.computeIfAbsent(modelVersion, m -> new HashMap<>())
                        .computeIfAbsent(pane, p -> new TreeMap<>());
        if (parts.isEmpty()) {
            size++;
        }
        PaneSketch held = parts.putIfAbsent(source, part);
        if (held != null) {
            held.merge(part);
        }
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

    /**
     * Removes a model version's deltas, pane start to delta, to be written to keyed state: each the
     * merge of its parts in source order.
     */
    Map<Long, PaneSketch> drain(String modelVersion) {
        Map<Long, TreeMap<Integer, PaneSketch>> deltas = byModel.remove(modelVersion);
        if (deltas == null) {
            return Collections.emptyMap();
        }
        size -= deltas.size();
        Map<Long, PaneSketch> merged = new LinkedHashMap<>();
        for (Map.Entry<Long, TreeMap<Integer, PaneSketch>> pane : deltas.entrySet()) {
            PaneSketch delta = null;
            for (PaneSketch part : pane.getValue().values()) {
                if (delta == null) {
                    delta = part;
                } else {
                    delta.merge(part);
                }
            }
            merged.put(pane.getKey(), delta);
        }
        return merged;
    }

    /**
     * Takes back a part from a checkpoint, or handed on from the previous release: it came before
     * any part of the same source held now, so such a part merges into it, not it into the part.
     */
    void restore(String modelVersion, long pane, int source, PaneSketch part) {
        TreeMap<Integer, PaneSketch> parts =
                byModel.computeIfAbsent(modelVersion, m -> new HashMap<>())
                        .computeIfAbsent(pane, p -> new TreeMap<>());
        if (parts.isEmpty()) {
            size++;
        }
        PaneSketch later = parts.put(source, part);
        if (later != null) {
            part.merge(later);
        }
    }

    /**
     * Every part, model version to pane start to source to part (a read-only view, for
     * checkpoints).
     */
    Map<String, Map<Long, TreeMap<Integer, PaneSketch>>> all() {
        return Collections.unmodifiableMap(byModel);
    }

    /** Deltas (model version and pane) held, over all model versions. */
    int size() {
        return size;
    }
}
