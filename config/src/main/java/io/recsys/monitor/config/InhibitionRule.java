package io.recsys.monitor.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * While any source alarm is in ALARM at the source severity (on any series), the alerts of the
 * target alarms are held back: a data outage (no events, stale events) makes CTR and drift look bad
 * for reasons the on-call already knows. When the last source resolves, every target series whose
 * state changed meanwhile alerts once with its current state and says it was held back.
 *
 * <p>Inhibition is global, not per model version: an outage of a stream affects every version.
 * Source dimensions narrow which series of the source alarms count, e.g. {@code Stream=feedback}: a
 * feedback outage makes CTR meaningless but says nothing about drift, which only predictions feed.
 */
public final class InhibitionRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ArrayList<String> sources;
    private final String sourceSeverity;
    private final ArrayList<String> targets;
    private final TreeMap<String, String> sourceDimensions;

    public InhibitionRule(
            String name,
            List<String> sources,
            String sourceSeverity,
            List<String> targets,
            Map<String, String> sourceDimensions) {
        this.name = Objects.requireNonNull(name, "name");
        this.sourceDimensions = new TreeMap<>(sourceDimensions);
        this.sources = new ArrayList<>(sources);
        this.sourceSeverity = sourceSeverity;
        this.targets = new ArrayList<>(targets);
        if (this.sources.isEmpty() || this.targets.isEmpty()) {
            throw new ConfigException(
                    "Inhibition '" + name + "': needs at least one source and one target alarm");
        }
        if (!"warning".equals(sourceSeverity) && !"critical".equals(sourceSeverity)) {
            throw new ConfigException(
                    "Inhibition '" + name + "': source-severity must be warning or critical");
        }
    }

    public String name() {
        return name;
    }

    public List<String> sources() {
        return Collections.unmodifiableList(sources);
    }

    /** critical: only a critical source inhibits; warning: a source at either severity does. */
    public String sourceSeverity() {
        return sourceSeverity;
    }

    public List<String> targets() {
        return Collections.unmodifiableList(targets);
    }

    /** Dimension values a source series must have to count; empty: every series. */
    public Map<String, String> sourceDimensions() {
        return Collections.unmodifiableMap(sourceDimensions);
    }

    /** Whether a series of {@code alarm} with {@code dimensions} is a source of this rule. */
    public boolean isSource(String alarm, Map<String, String> dimensions) {
        if (!sources.contains(alarm)) {
            return false;
        }
        for (Map.Entry<String, String> e : sourceDimensions.entrySet()) {
            if (dimensions == null || !e.getValue().equals(dimensions.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a source alarm at {@code severity} inhibits. */
    public boolean inhibitsAt(String severity) {
        return "warning".equals(sourceSeverity) || "critical".equals(severity);
    }
}
