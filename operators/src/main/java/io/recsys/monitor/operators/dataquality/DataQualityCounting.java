package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DataQualityCounts;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * How one event changes the data quality counts: completeness of features and optional fields and
 * the soft validity rules of an accepted prediction, and the category, broken rule or missing
 * required field of a dead letter. Pure Java.
 *
 * <p>Soft rules are checked on events the parser accepted, since the contract makes these fields
 * optional; rules the parser enforces are counted from dead letters ({@link DeadLetterRules}).
 */
public final class DataQualityCounting {
    /** A recommendation without a price: revenue and price checks cannot use it. */
    public static final String PRICE_PRESENT = "price_present";

    /** A recommendation without a category: diversity cannot use it. */
    public static final String CATEGORY_PRESENT = "category_present";

    /** A recommendation without a score: prediction drift cannot use it. */
    public static final String SCORE_PRESENT = "score_present";

    /** Every soft rule, reported every window (zero included). */
    public static final List<String> SOFT_RULES =
            Collections.unmodifiableList(
                    Arrays.asList(PRICE_PRESENT, CATEGORY_PRESENT, SCORE_PRESENT));

    /** Optional fields whose absence the contract fills with a default. */
    public static final String USER_SEGMENT = "user_segment";

    public static final String RECOMMENDATIONS = "recommendations";
    public static final String FEATURES = "features";
    public static final String ERROR_TYPE = "error_type";

    /** The segment the parser puts in for an absent user_segment. */
    static final String DEFAULT_SEGMENT = "unknown";

    private DataQualityCounting() {}

    public static void add(PredictionEvent p, DataQualityCounts c, int maxFeatures) {
        c.predictions++;
        if (p.error) {
            c.errorPredictions++;
            if (p.errorType == null) {
                DataQualityCounts.increment(c.fieldMissing, ERROR_TYPE, 1);
            }
        } else {
            c.okPredictions++;
            // A failed response has no recommendations by nature; only a successful one is
            // missing them.
            if (p.recommendations.isEmpty()) {
                DataQualityCounts.increment(c.fieldMissing, RECOMMENDATIONS, 1);
            }
        }
        // An explicit "unknown" cannot be told from an absent segment; both count as missing.
        if (p.userSegment == null || DEFAULT_SEGMENT.equals(p.userSegment)) {
            DataQualityCounts.increment(c.fieldMissing, USER_SEGMENT, 1);
        }
        if (p.numericFeatures.isEmpty()
                && p.categoricalFeatures.isEmpty()
                && p.nullFeatures.isEmpty()) {
            DataQualityCounts.increment(c.fieldMissing, FEATURES, 1);
        }
        for (String name : p.numericFeatures.keySet()) {
            c.featureSeen(name, 1, maxFeatures);
        }
        for (String name : p.categoricalFeatures.keySet()) {
            c.featureSeen(name, 1, maxFeatures);
        }
        // Present with null: seen (so its missing rate is reported) but without a value.
        for (String name : p.nullFeatures) {
            c.featureSeen(name, 0, maxFeatures);
        }
        for (RecommendedItem item : p.recommendations) {
            if (Double.isNaN(item.price)) {
                DataQualityCounts.increment(c.violations, PRICE_PRESENT, 1);
            }
            if (item.category == null) {
                DataQualityCounts.increment(c.violations, CATEGORY_PRESENT, 1);
            }
            if (Double.isNaN(item.score)) {
                DataQualityCounts.increment(c.violations, SCORE_PRESENT, 1);
            }
        }
    }

    public static void add(FeedbackEvent f, DataQualityCounts c) {
        c.feedback++;
    }

    public static void add(DeadLetter d, DataQualityCounts c) {
        c.deadLetters++;
        DataQualityCounts.increment(c.invalidByCategory, DeadLetterRules.category(d), 1);
        String rule = DeadLetterRules.brokenRule(d);
        if (rule != null) {
            DataQualityCounts.increment(c.violations, rule, 1);
        }
        String missing = DeadLetterRules.missingField(d);
        if (missing != null) {
            DataQualityCounts.increment(c.fieldMissing, missing, 1);
        }
    }
}
