package io.recsys.monitor.model;

/**
 * The service-health counts of one window and slice: a (model version, segment) slice, a model
 * version ({@code userSegment} null) or overall (both null). Flows from the per-slice windows to
 * the roll-up and the health metrics.
 */
public class HealthTally {
    /** {@code null} for overall. */
    public String modelVersion;

    /** {@code null} for a model version or overall. */
    public String userSegment;

    public long windowStart;
    public long windowEnd;
    public ServiceHealthCounts counts = new ServiceHealthCounts();

    /**
     * The key of the (model version, segment) slice these counts were counted in. A coarse slice is
     * the sum of its fine slices; when a fine slice's window fires again with late responses, the
     * roll-up replaces that slice's earlier contribution instead of adding to it.
     */
    public String sourceSlice = "";

    public HealthTally() {}

    public HealthTally(
            String modelVersion,
            String userSegment,
            long windowStart,
            long windowEnd,
            ServiceHealthCounts counts) {
        this.modelVersion = modelVersion;
        this.userSegment = userSegment;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.counts = counts;
    }

    @Override
    public String toString() {
        return "HealthTally{"
                + modelVersion
                + "/"
                + userSegment
                + " ["
                + windowStart
                + ", "
                + windowEnd
                + ") "
                + counts
                + "}";
    }
}
