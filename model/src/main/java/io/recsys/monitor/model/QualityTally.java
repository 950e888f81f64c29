package io.recsys.monitor.model;

/**
 * The data quality counts of one window, for one model version or ({@code modelVersion} null) for
 * all traffic: the form in which the data-quality pre-counts keep their pending counts (state name
 * {@code pending-quality-counts}) and in which the previous release's merge window kept its
 * contents, so that their savepoints restore. Between operators the counts travel as {@link
 * SlicePartial}s ({@link #partial()}).
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

    /** The partial of the sliced-metric stages: slice "" for overall, else the model version. */
    public SlicePartial<DataQualityCounts> partial() {
        return new SlicePartial<>(modelVersion == null ? "" : modelVersion, windowStart, counts);
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
