package io.recsys.monitor.operators.drift;

import io.recsys.monitor.model.DriftReport;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    static DriftUnitPartial single(PredictionEvent e) {
        PaneSketch pane = new PaneSketch(1000);
        pane.add(e, null);
        return whole(e.modelVersion, e.eventTime, 0, pane);
    }

    /**
     * A source subtask's whole pane as one partial, for the rolling drift operator keyed by model
     * version alone (each of its windows then holds every unit of the model version).
     */
    static DriftUnitPartial whole(String model, long paneStart, int source, PaneSketch pane) {
        return DriftUnitPartial.part(model, DriftUnit.MODEL, paneStart, source, pane);
    }

    private static final WindowDriftEvaluator COMBINER =
            new WindowDriftEvaluator(DriftRules.defaults(), "NS", 5 * 60_000L);

    /**
     * The reports of parts that each hold a whole model version's window (keyed by model version),
     * in their order, as the combining stage makes them.
     */
    static List<DriftReport> reports(List<WindowDriftPart> parts) {
        List<DriftReport> reports = new ArrayList<>();
        for (WindowDriftPart part : parts) {
            reports.addAll(COMBINER.combine(List.of(part)).reports);
        }
        return reports;
    }

    /** The metric points of such parts, as {@link #reports}. */
    static List<MetricPoint> metrics(List<WindowDriftPart> parts) {
        List<MetricPoint> metrics = new ArrayList<>();
        for (WindowDriftPart part : parts) {
            metrics.addAll(COMBINER.combine(List.of(part)).metrics);
        }
        return metrics;
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
