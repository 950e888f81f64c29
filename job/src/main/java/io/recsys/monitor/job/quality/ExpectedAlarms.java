package io.recsys.monitor.job.quality;

import io.recsys.monitor.job.generator.Scenario;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which incident kinds ({@code Alert.kind}, the playbook of an alarm) a scenario of the generator
 * should raise: the ground truth of the alert-quality benchmark. An alert of any other kind during
 * a scenario is a false alert. The mapping lives here alone so that a reader can check every entry
 * against what {@code TrafficSimulator} does to the traffic.
 */
public final class ExpectedAlarms {
    private static final Map<Scenario.Kind, Set<String>> KINDS = new EnumMap<>(Scenario.Kind.class);

    static {
        // Features shift (user_age +8 years, session_length_s x1.6, a new device mix): the drift
        // alarms (FeatureDrift, PredictionMeanShift) share the model-drift playbook.
        KINDS.put(Scenario.Kind.FEATURE_DRIFT, kinds("model-drift"));
        // Click probability x0.4: CTR and, through fewer clicks, conversion fall; the low-CTR,
        // CTR-drop and conversion alarms are all model-performance-degradation.
        KINDS.put(Scenario.Kind.CTR_DROP, kinds("model-performance-degradation"));
        // Latency x5 on every response: the p50, p95 and p99 latency alarms.
        KINDS.put(Scenario.Kind.LATENCY_SPIKE, kinds("high-latency"));
        // 20 % of responses fail: error count and rate (high-error-rate), availability
        // (service-outage), and, because half of the failures are timeouts answered after the
        // 1-1.6 s serving timeout, a real rise of the p95 and p99 latency (high-latency).
        KINDS.put(
                Scenario.Kind.ERROR_BURST,
                kinds("high-error-rate", "service-outage", "high-latency"));
        // 5 % more lines malformed: invalid events and dead letters (data-quality).
        KINDS.put(Scenario.Kind.MALFORMED_EVENTS, kinds("data-quality"));
        // Shifts of a chosen size, for the drift-quality benchmark: drift or nothing.
        KINDS.put(Scenario.Kind.SHIFT_NUMERIC, kinds("model-drift"));
        KINDS.put(Scenario.Kind.SHIFT_CATEGORY, kinds("model-drift"));
        KINDS.put(Scenario.Kind.SHIFT_NEW_CATEGORY, kinds("model-drift"));
        KINDS.put(Scenario.Kind.SHIFT_SCORE, kinds("model-drift"));
    }

    private ExpectedAlarms() {}

    /** The incident kinds {@code scenario} should raise, sorted. */
    public static Set<String> of(Scenario.Kind scenario) {
        return KINDS.get(scenario);
    }

    private static Set<String> kinds(String... names) {
        Set<String> set = new TreeSet<>();
        Collections.addAll(set, names);
        return Collections.unmodifiableSet(set);
    }
}
