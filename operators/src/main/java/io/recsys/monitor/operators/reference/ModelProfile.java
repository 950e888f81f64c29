package io.recsys.monitor.operators.reference;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one model version's traffic looked like in the reference period: per feature its
 * distribution (numerical) or category counts (categorical), the distribution of the top
 * recommendation's score, how often each item was recommended, and the catalogue size.
 */
public final class ModelProfile {
    public final long events;
    public final Map<String, NumericProfile> numericalFeatures;
    public final Map<String, CategoricalProfile> categoricalFeatures;

    /** Score of the first recommendation of each successful response; null when none. */
    public final NumericProfile scores;

    public final Map<String, Long> itemExposures;
    public final long catalogueSize;

    public ModelProfile(
            long events,
            Map<String, NumericProfile> numericalFeatures,
            Map<String, CategoricalProfile> categoricalFeatures,
            NumericProfile scores,
            Map<String, Long> itemExposures,
            long catalogueSize) {
        this.events = events;
        this.numericalFeatures = Collections.unmodifiableMap(new TreeMap<>(numericalFeatures));
        this.categoricalFeatures = Collections.unmodifiableMap(new TreeMap<>(categoricalFeatures));
        this.scores = scores;
        this.itemExposures = Collections.unmodifiableMap(new TreeMap<>(itemExposures));
        this.catalogueSize = catalogueSize;
    }

    /** Number of monitored features. */
    public int featureCount() {
        return numericalFeatures.size() + categoricalFeatures.size();
    }
}
