package io.recsys.monitor.operators.reference;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A versioned description of what "normal" looks like for the models being monitored: one {@link
 * ModelProfile} per model version and optionally a {@link #DEFAULT} one used for model versions
 * that have none. It is built from a baseline period of prediction events by {@link
 * ReferenceProfileBuilder}, stored as JSON ({@link ReferenceProfileJson},
 * docs/reference-profile.md) and broadcast to the drift operators.
 */
public final class ReferenceProfile {
    /** Key of the profile used for model versions without their own. */
    public static final String DEFAULT = "default";

    public static final String FORMAT = "recsys-monitor-reference-profile";
    public static final int FORMAT_VERSION = 1;

    /** Names this profile in every drift report computed against it. */
    public final String referenceVersion;

    /** ISO-8601 UTC time of creation. */
    public final String createdAt;

    /** What it was built from, free text (e.g. the input file name). */
    public final String source;

    public final Map<String, ModelProfile> models;

    public ReferenceProfile(
            String referenceVersion,
            String createdAt,
            String source,
            Map<String, ModelProfile> models) {
        this.referenceVersion = referenceVersion;
        this.createdAt = createdAt;
        this.source = source;
        this.models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /** The profile of a model version, else the default one, else null. */
    public ModelProfile profileFor(String modelVersion) {
        ModelProfile own = models.get(modelVersion);
        return own != null ? own : models.get(DEFAULT);
    }
}
