package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a prediction each keyed consumer reads, as a {@link PredictionEvent} with every other
 * field left at its empty default. A full prediction (20 features, 10 items) is about 1.3 KB on the
 * wire and went to six keyed consumers; each now gets only its fields, so the network serializer
 * writes and the consumer reads a fraction of it. The consumers are unchanged: whatever they
 * compute from a projection equals what they compute from the full event ({@code
 * PredictionProjectionsTest} checks each against its consumer).
 *
 * <p>A consumer that starts to read another field must add it to its projection here. The input is
 * never changed. Items are new objects; drift's feature maps are the event's own, as no operator
 * changes an event once it is emitted (the events' type says so: {@code UnchangedRecordTypeInfo}).
 */
public final class PredictionProjections {
    private PredictionProjections() {}

    /**
     * What feedback attribution ({@code FeedbackAttribution}) reads: request id, event time, model
     * version, segment, and the item ids in rank order.
     */
    public static PredictionEvent forAttribution(PredictionEvent p) {
        PredictionEvent v = slice(p);
        v.requestId = p.requestId;
        v.recommendations = new ArrayList<>(p.recommendations.size());
        for (RecommendedItem item : p.recommendations) {
            v.recommendations.add(
                    item == null
                            ? null
                            : new RecommendedItem(item.itemId, Double.NaN, null, Double.NaN));
        }
        return v;
    }

    /**
     * What the recommendation sketches ({@code RecommendationSketch}) read: model version, segment,
     * and each item's id and category.
     */
    public static PredictionEvent forRecommendationQuality(PredictionEvent p) {
        PredictionEvent v = slice(p);
        v.recommendations = new ArrayList<>(p.recommendations.size());
        for (RecommendedItem item : p.recommendations) {
            v.recommendations.add(
                    item == null
                            ? null
                            : new RecommendedItem(
                                    item.itemId, Double.NaN, item.category, Double.NaN));
        }
        return v;
    }

    /**
     * What service health ({@code ServiceHealthCounts}) reads: model version, segment, latency,
     * status and error type.
     */
    public static PredictionEvent forServiceHealth(PredictionEvent p) {
        PredictionEvent v = slice(p);
        v.latencyMs = p.latencyMs;
        v.error = p.error;
        v.errorType = p.errorType;
        return v;
    }

    /**
     * What rolling drift ({@code RollingDriftFunction}, {@code PaneSketch}, {@code FeatureValues})
     * reads: model version, event time, status, the feature values, and the top item's score, and
     * the request id, whose hash with the event time picks a pane's sample beyond its cap.
     */
    public static PredictionEvent forDrift(PredictionEvent p) {
        PredictionEvent v = slice(p);
        v.requestId = p.requestId;
        v.error = p.error;
        // Shared, not copied: no operator changes an event once emitted, and the projection
        // goes straight to the network, which writes the maps as they are.
        v.numericFeatures = p.numericFeatures;
        v.categoricalFeatures = p.categoricalFeatures;
        if (!p.recommendations.isEmpty()) {
            RecommendedItem top = p.recommendations.get(0);
            List<RecommendedItem> first = new ArrayList<>(1);
            first.add(top == null ? null : new RecommendedItem(null, top.score, null, Double.NaN));
            v.recommendations = first;
        }
        return v;
    }

    /** The fields every consumer keys or stamps by: event time, model version, segment. */
    private static PredictionEvent slice(PredictionEvent p) {
        PredictionEvent v = new PredictionEvent();
        v.eventTime = p.eventTime;
        v.modelVersion = p.modelVersion;
        v.userSegment = p.userSegment;
        return v;
    }
}
