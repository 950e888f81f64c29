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
