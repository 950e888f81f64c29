package io.recsys.monitor.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One recommendation response served: who asked (segment only; the user id is kept for attribution
 * and never becomes a metric dimension or a log field), which model answered, how fast, and what it
 * recommended with which features. See docs/events.md.
 */
public class PredictionEvent {
    public String requestId;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public String userId;
    public String userSegment = "unknown";
    public String modelVersion;
    public double latencyMs;

    /** True when {@code status} was "error". */
    public boolean error;

    /** Producer's error class when {@link #error}; {@code null} otherwise or when absent. */
    public String errorType;

    @TypeInfo(ListTypeInfoFactory.class)
    public List<RecommendedItem> recommendations = new ArrayList<>();

    /** Features whose value was a JSON number. */
    @TypeInfo(MapTypeInfoFactory.class)
    public Map<String, Double> numericFeatures = new HashMap<>();

    /** Features whose value was a JSON string or boolean ("true"/"false"). */
    @TypeInfo(MapTypeInfoFactory.class)
    public Map<String, String> categoricalFeatures = new HashMap<>();

    /** Features present with a JSON null. */
    @TypeInfo(ListTypeInfoFactory.class)
    public List<String> nullFeatures = new ArrayList<>();

    public PredictionEvent() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PredictionEvent)) {
            return false;
        }
        PredictionEvent that = (PredictionEvent) o;
        return eventTime == that.eventTime
                && Double.compare(latencyMs, that.latencyMs) == 0
                && error == that.error
                && Objects.equals(requestId, that.requestId)
                && Objects.equals(userId, that.userId)
                && Objects.equals(userSegment, that.userSegment)
                && Objects.equals(modelVersion, that.modelVersion)
                && Objects.equals(errorType, that.errorType)
                && Objects.equals(recommendations, that.recommendations)
                && Objects.equals(numericFeatures, that.numericFeatures)
                && Objects.equals(categoricalFeatures, that.categoricalFeatures)
                && Objects.equals(nullFeatures, that.nullFeatures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, eventTime, modelVersion);
    }

    @Override
    public String toString() {
        // No user id: records end up in logs.
        return "PredictionEvent{"
                + requestId
                + ", t="
                + eventTime
                + ", segment="
                + userSegment
                + ", model="
                + modelVersion
                + ", latencyMs="
                + latencyMs
                + ", error="
                + error
                + ", items="
                + recommendations.size()
                + ", features="
                + (numericFeatures.size() + categoricalFeatures.size() + nullFeatures.size())
                + "}";
    }
}
