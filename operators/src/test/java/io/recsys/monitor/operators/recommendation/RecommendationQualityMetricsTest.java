package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import org.junit.jupiter.api.Test;

/** Coverage, diversity, Gini and novelty of small windows, by hand. */
class RecommendationQualityMetricsTest {

    static PredictionEvent response(String... itemsAndCategories) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r";
        p.modelVersion = "v1";
        for (int i = 0; i < itemsAndCategories.length; i += 2) {
            p.recommendations.add(
                    new RecommendedItem(itemsAndCategories[i], 0.5, itemsAndCategories[i + 1], 1));
        }
        return p;
    }

    /** Two responses: a(x) b(x) c(y) and a(x) d(y). Exposures a:2 b:1 c:1 d:1, 4 distinct. */
    private static RecommendationSketch window() {
        return new RecommendationSketch()
                .add(response("a", "x", "b", "x", "c", "y"), null)
                .add(response("a", "x", "d", "y"), null);
    }

    @Test
    void coverageIsDistinctItemsOverTheCatalogue() {
        assertThat(RecommendationQualityMetrics.coveragePercentage(window(), 10).getAsDouble())
                .isCloseTo(40.0, within(1e-5));
        assertThat(RecommendationQualityMetrics.coveragePercentage(window(), 0)).isEmpty();
        assertThat(RecommendationQualityMetrics.coveragePercentage(window(), 3).getAsDouble())
                .isEqualTo(100.0);
    }

    @Test
    void diversityIsTheMeanOverResponses() {
        // Response 1: pairs ab same, ac bc different -> 2/3; response 2: 1 pair, different -> 1.
        assertThat(RecommendationQualityMetrics.diversityScore(window()).getAsDouble())
                .isCloseTo((2.0 / 3 + 1.0) / 2, within(1e-12));
    }

    @Test
    void giniAndNoveltyOfTheWindowsOwnExposure() {
        // 1 1 1 2: sum |xi - xj| = 6, 2 n^2 mean = 2 * 16 * 1.25 = 40 -> 0.15.
        assertThat(RecommendationQualityMetrics.popularityGini(window()).getAsDouble())
                .isCloseTo(0.15, within(1e-12));
        // shares 2/5, 1/5 x 3: -(0.4 log2 0.4 + 3 * 0.2 log2 0.2) = 1.921928...
        double expected = -(0.4 * Math.log(0.4) + 3 * 0.2 * Math.log(0.2)) / Math.log(2);
        assertThat(
                        RecommendationQualityMetrics.novelty(window(), RecommendationBaseline.of(0))
                                .getAsDouble())
                .isCloseTo(expected, within(1e-12))
                .isCloseTo(1.921928, within(1e-6));
    }

    @Test
    void noveltyAgainstAReference() {
        // Reference: a has half the exposure, everything else 1/16.
        ExposureReference reference = item -> item.equals("a") ? 0.5 : 1.0 / 16;
        RecommendationBaseline baseline = RecommendationBaseline.of(0).withExposure(reference);
        RecommendationSketch s = new RecommendationSketch();
        s.add(response("a", "x", "b", "x", "c", "y"), reference);
        s.add(response("a", "x", "d", "y"), reference);
        // Items a a b c d: (1 + 1 + 4 + 4 + 4) / 5 = 2.8 bits.
        assertThat(RecommendationQualityMetrics.novelty(s, baseline).getAsDouble())
                .isCloseTo(2.8, within(1e-12));
    }

    @Test
    void aWindowOfFailedResponsesHasNoValues() {
        RecommendationSketch s = new RecommendationSketch().add(new PredictionEvent(), null);
        assertThat(s.responses()).isZero();
        assertThat(RecommendationQualityMetrics.coveragePercentage(s, 100)).isEmpty();
        assertThat(RecommendationQualityMetrics.popularityGini(s)).isEmpty();
        assertThat(RecommendationQualityMetrics.novelty(s, RecommendationBaseline.of(0))).isEmpty();
        assertThat(RecommendationQualityMetrics.diversityScore(s)).isEmpty();
    }

    @Test
    void coverageTrialsAreTheCatalogueOrTheSlotsServedIfFewer() {
        // 5 slots served (exposures), 4 distinct items.
        assertThat(RecommendationQualityMetrics.coverageTrials(window(), 100)).isEqualTo(5);
        assertThat(RecommendationQualityMetrics.coverageTrials(window(), 4)).isEqualTo(4);
        assertThat(RecommendationQualityMetrics.coverageTrials(window(), 0)).isZero();
        assertThat(RecommendationQualityMetrics.coverageTrials(new RecommendationSketch(), 4))
                .isZero();
    }
}
