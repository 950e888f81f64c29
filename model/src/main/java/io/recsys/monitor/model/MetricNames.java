package io.recsys.monitor.model;

/**
 * The names of every metric and dimension the job emits, in one place: the operators that compute
 * them, the alarms that watch them, the dashboards exported from them and the documentation use the
 * same words. Names follow the operations guide where it has one.
 */
public final class MetricNames {
    private MetricNames() {}

    /** CloudWatch namespace default. */
    public static final String NAMESPACE = "RecommendationSystem";

    // --- dimensions ---
    public static final String MODEL_VERSION = "ModelVersion";
    public static final String USER_SEGMENT = "UserSegment";

    /** 1-based position in the recommendation list. */
    public static final String RANK = "Rank";

    public static final String ERROR_TYPE = "ErrorType";
    public static final String FEATURE = "Feature";

    /** A required event field, for completeness. */
    public static final String FIELD = "Field";

    /** A validity rule. */
    public static final String RULE = "Rule";

    /** predictions or feedback. */
    public static final String STREAM = "Stream";

    /** A capped dimension by name (ModelVersion, UserSegment), never one of its values. */
    public static final String DIMENSION = "Dimension";

    // --- engagement (attributed feedback) ---
    public static final String CTR = "CTR";
    public static final String CONVERSION_RATE = "ConversionRate";
    public static final String AVERAGE_ORDER_VALUE = "AverageOrderValue";
    public static final String REVENUE = "RevenueFromRecommendations";
    public static final String ADD_TO_CART_RATE = "AddToCartRate";

    /** CTR of the items at one rank, with the {@link #RANK} dimension. */
    public static final String CTR_AT_RANK = "CTRAtRank";

    public static final String UNATTRIBUTED_FEEDBACK = "UnattributedFeedback";
    public static final String LATE_FEEDBACK = "LateFeedback";

    // --- recommendation quality (prediction stream) ---
    public static final String COVERAGE = "CoveragePercentage";
    public static final String DIVERSITY = "DiversityScore";
    public static final String POPULARITY_GINI = "PopularityGini";
    public static final String NOVELTY = "Novelty";
    public static final String PRECISION_AT_10 = "PrecisionAt10";
    public static final String RECALL_AT_10 = "RecallAt10";
    public static final String NDCG_AT_10 = "NDCGAt10";
    public static final String MRR = "MRR";

    // --- service health (prediction stream) ---
    public static final String LATENCY_P50 = "LatencyP50";
    public static final String LATENCY_P95 = "LatencyP95";
    public static final String LATENCY_P99 = "LatencyP99";
    public static final String ERROR_RATE = "ErrorRate";

    /** Responses later than the health windows' allowed lateness, which no window counts. */
    public static final String LATE_RESPONSES = "LateResponses";

    /** Error count with the {@link #ERROR_TYPE} dimension. */
    public static final String ERRORS = "Errors";

    public static final String THROUGHPUT = "RequestsPerSecond";
    public static final String AVAILABILITY = "Availability";

    // --- data quality (both streams) ---
    public static final String FEATURE_MISSING_RATE = "FeatureMissingRate";
    public static final String FIELD_MISSING_RATE = "FieldMissingRate";
    public static final String VALIDITY_VIOLATIONS = "ValidityViolations";
    public static final String UNSEEN_CATEGORY_SHARE = "UnseenCategoryShare";

    /** Freshness: processing time minus the newest event time, seconds. */
    public static final String EVENT_LAG = "EventLagSeconds";

    public static final String EVENT_VOLUME = "EventVolume";
    public static final String INVALID_EVENTS = "InvalidEvents";

    /**
     * Predictions with a model version or user segment beyond its cap (folded into "other") or a
     * feature name beyond its cap (dropped), with the {@link #DIMENSION} dimension.
     */
    public static final String FOLDED_DIMENSION_VALUES = "FoldedDimensionValues";

    // --- drift (against the reference profile) ---
    /** Per feature: {@code FeatureDrift_<feature>}. */
    public static final String FEATURE_DRIFT_PREFIX = "FeatureDrift_";

    public static final String FEATURE_DRIFT = "FeatureDrift";
    public static final String PREDICTION_DRIFT = "PredictionDrift";
    public static final String PREDICTION_MEAN_SHIFT = "PredictionMeanShift";
    public static final String PREDICTION_VARIANCE_CHANGE = "PredictionVarianceChange";
    public static final String DRIFTED_FEATURE_SHARE = "DriftedFeatureShare";
}
