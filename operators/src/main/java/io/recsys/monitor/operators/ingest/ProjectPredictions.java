package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.PredictionEventSerializer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Hands each keyed consumer of the prediction stream its {@link PredictionProjections projection},
 * one side output per consumer, from a single operator chained to the split: one chained copy of
 * the prediction instead of one per consumer, and only the projected fields cross the network. The
 * main output carries nothing.
 */
public class ProjectPredictions extends ProcessFunction<PredictionEvent, Void> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<PredictionEvent> ATTRIBUTION = tag("predictions-attribution");
    public static final OutputTag<PredictionEvent> RECOMMENDATION_QUALITY =
            tag("predictions-recommendation-quality");
    public static final OutputTag<PredictionEvent> SERVICE_HEALTH =
            tag("predictions-service-health");
    public static final OutputTag<PredictionEvent> DRIFT = tag("predictions-drift");

    @Override
    public void processElement(PredictionEvent prediction, Context ctx, Collector<Void> out) {
        ctx.output(ATTRIBUTION, PredictionProjections.forAttribution(prediction));
        ctx.output(
                RECOMMENDATION_QUALITY, PredictionProjections.forRecommendationQuality(prediction));
        ctx.output(SERVICE_HEALTH, PredictionProjections.forServiceHealth(prediction));
        ctx.output(DRIFT, PredictionProjections.forDrift(prediction));
    }

    private static OutputTag<PredictionEvent> tag(String id) {
        return new OutputTag<>(id, PredictionEventSerializer.TYPE);
    }
}
