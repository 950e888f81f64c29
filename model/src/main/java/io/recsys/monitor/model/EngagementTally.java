package io.recsys.monitor.model;

/**
 * The engagement tally of releases before the sliced-metric stages ({@link SliceTally} replaced
 * it). Their savepoints keep it in the {@code open-windows} state of {@code slice-totals}, which
 * the totals register under it only to drop each key's entries (see {@code WindowTotals}). Delete
 * it, and the family's {@code previousTally}, once no such savepoint is restored.
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
