package io.recsys.monitor.operators.reference;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.drift.Moments;
import io.recsys.monitor.operators.drift.NumericSample;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link ReferenceProfile} from the prediction events of a baseline period, one event at a
 * time and in bounded memory: a {@link ReferenceDistribution} per numerical quantity (exact while
 * it can be, else at most 4096 quantiles of a sample that depends only on which events came, so
 * that the same baseline always gives the same profile), counts per category (at most {@value
 * #MAX_CATEGORIES} per feature, the rest counted under {@value #OTHER}) and per recommended item
 * (at most {@value #MAX_ITEMS}).
 *
 * <p>Every event contributes to the profile of its model version and to the {@link
 * ReferenceProfile#DEFAULT} profile. Not thread-safe.
 */
public final class ReferenceProfileBuilder {
    public static final int MAX_CATEGORIES = 10_000;
    public static final int MAX_ITEMS = 1_000_000;
    public static final String OTHER = "__other__";

    private final Set<String> categoricalOverride;
    private final Set<String> numericalOverride;
    private final Map<String, ModelAccumulator> models = new TreeMap<>();

    /**
     * @param categoricalOverride features read as categories whatever their JSON type
     * @param numericalOverride features read as numbers whatever their JSON type
     */
    public ReferenceProfileBuilder(
            Collection<String> categoricalOverride, Collection<String> numericalOverride) {
        this.categoricalOverride = new HashSet<>(categoricalOverride);
        this.numericalOverride = new HashSet<>(numericalOverride);
    }

    /**
     * A builder with the overrides of {@code drift.categorical-features} and {@code
     * drift.numerical-features}.
     */
    public static ReferenceProfileBuilder fromConfig(MonitorConfig config) {
        return new ReferenceProfileBuilder(
                config.get(Settings.DRIFT_CATEGORICAL_FEATURES),
                config.get(Settings.DRIFT_NUMERICAL_FEATURES));
    }

    public void add(PredictionEvent event) {
        String model = event.modelVersion == null ? "unknown" : event.modelVersion;
        accumulator(model).add(event);
        accumulator(ReferenceProfile.DEFAULT).add(event);
    }

    private ModelAccumulator accumulator(String model) {
        return models.computeIfAbsent(model, m -> new ModelAccumulator());
    }

    /** The profile of everything added so far. */
    public ReferenceProfile build(String referenceVersion, String createdAt, String source) {
        Map<String, ModelProfile> profiles = new TreeMap<>();
        models.forEach((model, accumulator) -> profiles.put(model, accumulator.profile()));
        return new ReferenceProfile(referenceVersion, createdAt, source, profiles);
    }

    /** Sketch and moments of one numerical quantity. */
    static final class NumericAccumulator {
        final ReferenceDistribution distribution = new ReferenceDistribution();
        final Moments moments = new Moments();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double x, long priority) {
            if (!Double.isFinite(x)) {
                return;
            }
            distribution.add(x, priority);
            moments.add(x);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }

        NumericProfile profile() {
            return new NumericProfile(
                    moments.count(),
                    moments.mean(),
                    moments.standardDeviation(),
                    min,
                    max,
                    distribution.distribution());
        }
    }

    final class ModelAccumulator {
        long events;
        final Map<String, NumericAccumulator> numeric = new HashMap<>();
        final Map<String, Map<String, Long>> categorical = new HashMap<>();
        final NumericAccumulator scores = new NumericAccumulator();
        final Map<String, Long> items = new HashMap<>();

        void add(PredictionEvent event) {
            events++;
            // The same hash as the drift panes', so that a sampled quantity keeps the same events.
            long priority = NumericSample.priority(event.requestId, event.eventTime);
            for (String feature : event.numericFeatures.keySet()) {
                if (categoricalOverride.contains(feature)) {
                    addCategory(feature, FeatureValues.category(event, feature));
                } else {
                    addNumber(feature, FeatureValues.number(event, feature), priority);
                }
            }
            for (String feature : event.categoricalFeatures.keySet()) {
                if (numericalOverride.contains(feature)) {
                    addNumber(feature, FeatureValues.number(event, feature), priority);
                } else {
                    addCategory(feature, FeatureValues.category(event, feature));
                }
            }
            Double top = FeatureValues.topScore(event);
            if (top != null) {
                scores.add(top, priority);
            }
            for (RecommendedItem item : event.recommendations) {
                if (item != null && item.itemId != null) {
                    if (items.containsKey(item.itemId) || items.size() < MAX_ITEMS) {
                        items.merge(item.itemId, 1L, Long::sum);
                    }
                }
            }
        }

        private void addNumber(String feature, Double value, long priority) {
            if (value != null) {
                numeric.computeIfAbsent(feature, f -> new NumericAccumulator())
                        .add(value, priority);
            }
        }

        private void addCategory(String feature, String value) {
            if (value == null) {
                return;
            }
            Map<String, Long> counts = categorical.computeIfAbsent(feature, f -> new HashMap<>());
            String key =
                    counts.containsKey(value) || counts.size() < MAX_CATEGORIES ? value : OTHER;
            counts.merge(key, 1L, Long::sum);
        }

        ModelProfile profile() {
            Map<String, NumericProfile> numericProfiles = new TreeMap<>();
            for (Map.Entry<String, NumericAccumulator> e : numeric.entrySet()) {
                // A feature that is a number in some events and a string in others is kept as
                // the kind of its majority.
                long categoricalCount =
                        categorical.getOrDefault(e.getKey(), Map.of()).values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                if (e.getValue().moments.count() >= categoricalCount) {
                    numericProfiles.put(e.getKey(), e.getValue().profile());
                }
            }
            Map<String, CategoricalProfile> categoricalProfiles = new TreeMap<>();
            for (Map.Entry<String, Map<String, Long>> e : categorical.entrySet()) {
                if (!numericProfiles.containsKey(e.getKey())) {
                    categoricalProfiles.put(e.getKey(), new CategoricalProfile(e.getValue()));
                }
            }
            NumericProfile scoreProfile = scores.moments.count() == 0 ? null : scores.profile();
            return new ModelProfile(
                    events,
                    numericProfiles,
                    categoricalProfiles,
                    scoreProfile,
                    items,
                    items.size());
        }
    }
}
