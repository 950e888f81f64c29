package io.recsys.monitor.operators.recommendation;

/**
 * The recommendation-quality sketch of one window and one slice of traffic ({@code null} parts are
 * rolled up), the record between the per-slice windows and the roll-up. A Flink POJO whose sketch
 * field has its own serializer.
 */
public class RecommendationTally {
    public String modelVersion;
    public String userSegment;
    public long windowStart;
    public long windowEnd;
    public RecommendationSketch sketch = new RecommendationSketch();

    public RecommendationTally() {}

    public RecommendationTally(
            String modelVersion,
            String userSegment,
            long windowStart,
            long windowEnd,
            RecommendationSketch sketch) {
        this.modelVersion = modelVersion;
        this.userSegment = userSegment;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.sketch = sketch;
    }

    @Override
    public String toString() {
        return "RecommendationTally{"
                + modelVersion
                + "/"
                + userSegment
                + " ["
                + windowStart
                + ","
                + windowEnd
                + ") responses="
                + sketch.responses()
                + "}";
    }
}
