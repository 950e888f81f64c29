package io.recsys.monitor.model;

/**
 * The engagement tally of releases before the sliced-metric stages ({@link SliceTally} replaced
 * it). No operator uses it: it exists because their savepoints name it in the {@code open-windows}
 * state of {@code slice-totals}, which the totals no longer keep, and Flink resolves the class of
 * every restored state, used or not. Delete it once no such savepoint is restored.
 */
@Deprecated
public class EngagementTally {
    public String modelVersion;
    public String userSegment;
    public long windowStart;
    public long windowEnd;
    public EngagementCounts counts;
    public String sourceSlice = "";
}
