package io.recsys.monitor.operators.reference;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The reference counts of one categorical feature's values. */
public final class CategoricalProfile {
    public final long count;
    public final Map<String, Long> categories;

    public CategoricalProfile(Map<String, Long> categories) {
        TreeMap<String, Long> copy = new TreeMap<>(categories);
        this.count = copy.values().stream().mapToLong(Long::longValue).sum();
        this.categories = Collections.unmodifiableMap(copy);
    }
}
