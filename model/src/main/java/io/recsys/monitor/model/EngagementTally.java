package io.recsys.monitor.model;

/**
 * The funnel counts of one window for one model version and segment: the pre-aggregate that the
 * roll-up to coarser dimension sets starts from.
 */
public class EngagementTally {
    /** {@code null} for unattributed feedback, which only counts overall. */
    public String modelVersion;

    public String userSegment;
    public long windowStart;
    public long windowEnd;
    public EngagementCounts counts = new EngagementCounts();

    /**
     * The key of the (model version, segment) slice these counts were counted in. A coarse slice is
     * the sum of its fine slices; when a fine slice's window fires again with late feedback, the
     * roll-up replaces that slice's earlier contribution instead of adding to it.
     */
    public String sourceSlice = "";

    public EngagementTally() {}

    public EngagementTally(
            String modelVersion,
            String userSegment,
            long windowStart,
            long windowEnd,
            EngagementCounts counts) {
        this.modelVersion = modelVersion;
        this.userSegment = userSegment;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.counts = counts;
    }

    @Override
    public String toString() {
        return "EngagementTally{"
                + modelVersion
                + "/"
                + userSegment
                + " ["
                + windowStart
                + ","
                + windowEnd
                + ") "
                + counts
                + "}";
    }
}
