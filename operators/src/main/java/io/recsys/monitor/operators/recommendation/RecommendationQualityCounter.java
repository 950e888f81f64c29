package io.recsys.monitor.operators.recommendation;

import io.recsys.monitor.model.PredictionEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds the responses of one slice and window into a {@link RecommendationSketch}. */
public class RecommendationQualityCounter
        implements AggregateFunction<PredictionEvent, RecommendationSketch, RecommendationSketch> {
    private static final long serialVersionUID = 1L;

    private final RecommendationBaseline baseline;

    public RecommendationQualityCounter(RecommendationBaseline baseline) {
        this.baseline = baseline;
    }

    @Override
    public RecommendationSketch createAccumulator() {
        return new RecommendationSketch();
    }

    @Override
    public RecommendationSketch add(PredictionEvent prediction, RecommendationSketch sketch) {
        return sketch.add(prediction, baseline.exposure().orElse(null));
    }

    @Override
    public RecommendationSketch getResult(RecommendationSketch sketch) {
        return sketch;
    }

    @Override
    public RecommendationSketch merge(RecommendationSketch a, RecommendationSketch b) {
        return a.merge(b);
    }
}
