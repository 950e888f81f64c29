package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import java.util.Collections;
import java.util.Random;

/** Prediction events with one numerical feature, one categorical feature and a top score. */
final class DriftTestEvents {
    static final String[] DEVICES = {"mobile", "desktop", "tablet"};

    private DriftTestEvents() {}

    /** {@code age} ~ N(40 + shift, 10), device mostly mobile (or tablet when shifted). */
    static PredictionEvent event(Random random, String model, long time, double shift) {
        PredictionEvent e = new PredictionEvent();
        e.requestId = "r-" + random.nextLong();
        e.eventTime = time;
        e.modelVersion = model;
        e.userId = "u";
        e.numericFeatures.put("age", 40 + shift + 10 * random.nextGaussian());
        double u = random.nextDouble();
        int device = shift == 0 ? (u < 0.6 ? 0 : u < 0.9 ? 1 : 2) : (u < 0.2 ? 0 : u < 0.5 ? 1 : 2);
        e.categoricalFeatures.put("device", DEVICES[device]);
        e.recommendations.add(
                new RecommendedItem("i-1", 0.7 + 0.1 * random.nextGaussian(), "c", 1));
        return e;
    }

    /**
     * The event as a partial of its own, sketched by its features' JSON types, as the
     * pre-aggregation passes on a late event; the drift operator places a partial by its pane start
     * floored to the slide, so the event's time stands for it.
     */
    static DriftPanePartial single(PredictionEvent e) {
        PaneSketch pane = new PaneSketch(1000);
        pane.add(e, null);
        return new DriftPanePartial(e.modelVersion, e.eventTime, 0, pane);
    }

    static ReferenceProfile reference(String version, int events, long seed) {
        Random random = new Random(seed);
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(
                        Collections.<String>emptySet(), Collections.<String>emptySet());
        for (int i = 0; i < events; i++) {
            builder.add(event(random, "v1", i, 0));
        }
        return builder.build(version, "2026-01-01T00:00:00Z", "test");
    }
}
