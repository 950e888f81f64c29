package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.io.Serializable;

/**
 * The size limits of the event contract: how large an event, how many recommendations and features
 * one prediction may carry, and how much of a rejected event's raw text its dead letter keeps. They
 * bound the memory and time one event can cost, so that a misbehaving producer cannot slow the job
 * down or fill the dead-letter output. See docs/events.md.
 */
public final class EventLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxEventBytes;
    private final int maxRecommendations;
    private final int maxFeatures;
    private final int maxRawChars;
    private final int maxDimensionChars;

    /** Limits with the default {@code events.max-dimension-chars}. */
    public EventLimits(
            int maxEventBytes, int maxRecommendations, int maxFeatures, int maxRawChars) {
        this(
                maxEventBytes,
                maxRecommendations,
                maxFeatures,
                maxRawChars,
                Integer.parseInt(Settings.MAX_DIMENSION_CHARS.defaultText()));
    }

    public EventLimits(
            int maxEventBytes,
            int maxRecommendations,
            int maxFeatures,
            int maxRawChars,
            int maxDimensionChars) {
        this.maxEventBytes = maxEventBytes;
        this.maxRecommendations = maxRecommendations;
        this.maxFeatures = maxFeatures;
        this.maxRawChars = maxRawChars;
        this.maxDimensionChars = maxDimensionChars;
        if (maxEventBytes < 1
                || maxRecommendations < 0
                || maxFeatures < 0
                || maxRawChars < 1
                || maxDimensionChars < 1) {
            throw new IllegalArgumentException("Event limits must be positive: " + values());
        }
    }

    /** The limits set by {@code events.*} and {@code dead-letter.max-raw-chars}. */
    public static EventLimits fromConfig(MonitorConfig config) {
        return new EventLimits(
                config.get(Settings.MAX_EVENT_BYTES),
                config.get(Settings.MAX_RECOMMENDATIONS),
                config.get(Settings.MAX_FEATURES),
                config.get(Settings.DEAD_LETTER_MAX_RAW_CHARS),
                config.get(Settings.MAX_DIMENSION_CHARS));
    }

    /** The default limits, taken from {@link Settings} so that they are defined in one place. */
    public static EventLimits defaults() {
        return fromConfig(MonitorConfig.defaults());
    }

    /** Largest accepted event, in UTF-8 bytes. */
    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Most recommendations accepted in one prediction. */
    public int maxRecommendations() {
        return maxRecommendations;
    }

    /** Most features accepted in one prediction. */
    public int maxFeatures() {
        return maxFeatures;
    }

    /** Characters of a rejected event's raw text kept in its dead letter. */
    public int maxRawChars() {
        return maxRawChars;
    }

    /** Longest value of a field that becomes a metric dimension or console text, in chars. */
    public int maxDimensionChars() {
        return maxDimensionChars;
    }

    @Override
    public String toString() {
        return "EventLimits{" + values() + "}";
    }

    private String values() {
        return "maxEventBytes="
                + maxEventBytes
                + ", maxRecommendations="
                + maxRecommendations
                + ", maxFeatures="
                + maxFeatures
                + ", maxRawChars="
                + maxRawChars
                + ", maxDimensionChars="
                + maxDimensionChars;
    }
}
