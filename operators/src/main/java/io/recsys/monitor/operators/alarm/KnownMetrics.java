package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.model.MetricNames;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names an alarm may watch: every metric of {@link MetricNames} and the per-feature
 * drift metrics {@code FeatureDrift_<feature>}. An alarm on any other name could never fire, so it
 * stops start-up instead.
 */
public final class KnownMetrics {
    private static final Set<String> NAMES =
            Collections.unmodifiableSet(
                    new TreeSet<>(
                            Arrays.asList(
                                    MetricNames.CTR,
                                    MetricNames.CONVERSION_RATE,
                                    MetricNames.AVERAGE_ORDER_VALUE,
                                    MetricNames.REVENUE,
                                    MetricNames.ADD_TO_CART_RATE,
                                    MetricNames.CTR_AT_RANK,
                                    MetricNames.UNATTRIBUTED_FEEDBACK,
                                    MetricNames.LATE_FEEDBACK,
                                    MetricNames.COVERAGE,
                                    MetricNames.DIVERSITY,
                                    MetricNames.POPULARITY_GINI,
                                    MetricNames.NOVELTY,
                                    MetricNames.PRECISION_AT_10,
                                    MetricNames.RECALL_AT_10,
                                    MetricNames.NDCG_AT_10,
                                    MetricNames.MRR,
                                    MetricNames.LATENCY_P50,
                                    MetricNames.LATENCY_P95,
                                    MetricNames.LATENCY_P99,
                                    MetricNames.ERROR_RATE,
                                    MetricNames.ERRORS,
                                    MetricNames.THROUGHPUT,
                                    MetricNames.AVAILABILITY,
                                    MetricNames.LATE_RESPONSES,
                                    MetricNames.FEATURE_MISSING_RATE,
                                    MetricNames.FIELD_MISSING_RATE,
                                    MetricNames.VALIDITY_VIOLATIONS,
                                    MetricNames.UNSEEN_CATEGORY_SHARE,
                                    MetricNames.EVENT_LAG,
                                    MetricNames.EVENT_VOLUME,
                                    MetricNames.INVALID_EVENTS,
                                    MetricNames.FOLDED_DIMENSION_VALUES,
                                    MetricNames.FEATURE_DRIFT,
                                    MetricNames.PREDICTION_DRIFT,
                                    MetricNames.PREDICTION_MEAN_SHIFT,
                                    MetricNames.PREDICTION_VARIANCE_CHANGE,
                                    MetricNames.DRIFTED_FEATURE_SHARE)));

    private KnownMetrics() {}

    public static boolean isKnown(String metric) {
        return NAMES.contains(metric)
                || (metric.startsWith(MetricNames.FEATURE_DRIFT_PREFIX)
                        && metric.length() > MetricNames.FEATURE_DRIFT_PREFIX.length());
    }

    /**
     * Checks every alarm of {@code catalog}.
     *
     * @throws io.recsys.monitor.config.ConfigException naming the alarm with an unknown metric
     */
    public static void check(AlarmCatalog catalog) {
        List<String> hint = new java.util.ArrayList<>(NAMES);
        hint.add(MetricNames.FEATURE_DRIFT_PREFIX + "<feature>");
        catalog.checkMetrics(KnownMetrics::isKnown, String.join(", ", hint));
    }
}
