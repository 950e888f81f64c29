package io.recsys.monitor.model;

/**
 * The data quality counts of one window, for one model version or ({@code modelVersion} null) for
 * all traffic. Flows from the per-stream windows to the roll-up and the data quality metrics.
 */
public class QualityTally {
    /** {@code null} for overall (feedback and dead letters have no model version). */
    public String modelVersion;

    public long windowStart;
    public long windowEnd;
    public DataQualityCounts counts = new DataQualityCounts();

    public QualityTally() {}

    public QualityTally(
            String modelVersion, long windowStart, long windowEnd, DataQualityCounts counts) {
        this.modelVersion = modelVersion;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.counts = counts;
    }

    @Override
    public String toString() {
        return "QualityTally{"
                + modelVersion
                + " ["
                + windowStart
                + ", "
                + windowEnd
                + ") "
                + counts
                + "}";
    }
}
