package io.recsys.monitor.operators.drift;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * The share of a categorical feature's values in a window that the reference never saw: a new
 * device type, a country the model was not trained on, a renamed enum in the feature store. A
 * data-quality signal in its own right, apart from whether the distribution drifted.
 */
public final class UnseenCategories {
    private UnseenCategories() {}

    /**
     * Values of categories absent from {@code reference} / all values x 100; empty without values.
     */
    public static OptionalDouble sharePercent(
            Map<String, Long> reference, Map<String, Long> current) {
        long total = 0;
        long unseen = 0;
        for (Map.Entry<String, Long> e : current.entrySet()) {
            total += e.getValue();
            Long seen = reference.get(e.getKey());
            if (seen == null || seen == 0) {
                unseen += e.getValue();
            }
        }
        return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * unseen / total);
    }
}
