package io.recsys.monitor.operators.recommendation;

import java.util.OptionalDouble;

/**
 * The recommendation-quality KPIs of a window, computed from its {@link RecommendationSketch}:
 * catalogue coverage in percent, mean intra-list diversity, the Gini coefficient of item exposure
 * and the mean novelty of an exposure. A value that cannot be known is absent, not 0: coverage
 * without a catalogue size, anything of a window without recommendations.
 */
public final class RecommendationQualityMetrics {
    private RecommendationQualityMetrics() {}

    /**
     * Distinct items recommended / catalogue size x 100, capped at 100 (the distinct count is an
     * estimate and can overshoot a fully covered catalogue by its error); empty when the catalogue
     * size is unknown (0).
     */
    public static OptionalDouble coveragePercentage(RecommendationSketch s, long catalogueSize) {
        if (catalogueSize <= 0 || s.responses() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.min(100.0, 100.0 * s.distinctItems() / catalogueSize));
    }

    /**
     * The trials behind {@link #coveragePercentage}: the catalogue's items, each recommended in the
     * window or not; but a window that served fewer recommendation slots than the catalogue holds
     * could try at most that many items, so the smaller of the two. Coverage is not a random sample
     * the way CTR is: this count lets the interval rule hold back a window too thin to have covered
     * much, it does not make the interval an exact probability. 0 when coverage is unknown.
     */
    public static long coverageTrials(RecommendationSketch s, long catalogueSize) {
        if (catalogueSize <= 0 || s.responses() == 0) {
            return 0;
        }
        return Math.min(s.exposures(), catalogueSize);
    }

    /** Mean over responses of the share of item pairs from different categories, in [0, 1]. */
    public static OptionalDouble diversityScore(RecommendationSketch s) {
        return s.meanDiversity();
    }

    /** Gini coefficient of exposure over the items recommended in the window, in [0, 1). */
    public static OptionalDouble popularityGini(RecommendationSketch s) {
        return finite(s.exposures() == 0 ? Double.NaN : s.exposureDistribution().gini());
    }

    /**
     * Mean over recommended items of -log2(the item's share of exposure), in bits: against the
     * baseline's exposure reference when there is one, else against the window's own exposure.
     */
    public static OptionalDouble novelty(RecommendationSketch s, RecommendationBaseline baseline) {
        if (baseline.exposure().isPresent()) {
            return s.meanReferenceNovelty();
        }
        return finite(s.exposures() == 0 ? Double.NaN : s.exposureDistribution().selfNovelty());
    }

    private static OptionalDouble finite(double v) {
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
