package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decision rule against values computed independently: the per-test alpha in closed form, KS
 * p-values from scipy 1.17 ({@code scipy.stats.kstwo.sf(D, round(n*m/(n+m)))}, which is what {@code
 * ks_2samp(method='auto')} computes when a sample exceeds 10,000 values) and chi-square values from
 * {@code scipy.stats.chi2_contingency(table, correction=False)}. The sizes are those of issue 16's
 * target (p within a relative 1e-6): a reference of 50,000 and 1 request/s over 2 model versions,
 * so 450 values in 15 minutes, 900 in 30.
 */
class DriftRulesTest {
    private static final long FIVE_MINUTES = 300_000L;
    private static final DriftRules RULES = DriftRules.defaults();

    /** 0.01 / (288 evaluations a day x 3 windows x 10 tests). */
    private static final double ALPHA = 0.01 / (288.0 * 3 * 10);

    @Test
    void spreadsTheDailyBudgetOverEveryTestOfADay() {
        assertThat(RULES.testAlpha(FIVE_MINUTES, 3, 10)).isCloseTo(ALPHA, within(1e-18));
        assertThat(ALPHA).isCloseTo(1.1574074e-6, within(1e-13));
        // Twice the windows or an evaluation every minute: a proportionally smaller alpha.
        assertThat(RULES.testAlpha(FIVE_MINUTES, 6, 10)).isCloseTo(ALPHA / 2, within(1e-18));
        assertThat(RULES.testAlpha(60_000L, 3, 10)).isCloseTo(ALPHA / 5, within(1e-18));
    }

    @Test
    void aThirdOfASdSeenForThirtyMinutesIsDriftedButNotYetForFifteen() {
        // A +0.3 sd mean shift of a normal feature moves the CDF by 2 Phi(0.15) - 1 = 0.119.
        double d = 0.12;
        double p30 = KsStatistic.pValue(d, 50_000, 900);
        double p15 = KsStatistic.pValue(d, 50_000, 450);
        // scipy.stats.kstwo.sf(0.12, 884) and kstwo.sf(0.12, 446)
        assertThat(p30).isCloseTo(1.5013724519780496e-11, withinPercentage(1e-4));
        assertThat(p15).isCloseTo(4.7046154523499444e-06, withinPercentage(1e-4));

        assertThat(RULES.drifted(p30, d, ALPHA)).isTrue();
        assertThat(RULES.drifted(p15, d, ALPHA)).isFalse();
        // The guide's gate on the full hour, with half of it shifted (D about 0.06), does not pass.
        assertThat(RULES.passesEffectGate(KsStatistic.pValue(0.06, 50_000, 1_800), 0.06)).isFalse();
    }

    @Test
    void theDistanceFloorKeepsAHugeSampleFromFlaggingATrivialDifference() {
        // 1,000 requests/s: 450,000 values per version in 15 minutes make D = 0.02 "significant".
        double p = KsStatistic.pValue(0.02, 50_000, 450_000);
        assertThat(p).isLessThan(1e-12);

        assertThat(RULES.drifted(p, 0.02, ALPHA)).isFalse();
        assertThat(RULES.drifted(p, 0.03, ALPHA)).isTrue();
    }

    @Test
    void aFivePointMoveOfACategoryMixIsDriftedThoughCramersVIsBelowTheGuidesGate() {
        // Reference 58 / 34 / 8 % of 50,000; 30 minutes with 5 points moved from the first to the
        // last category: 53 / 34 / 13 % of 900.
        Map<String, Long> reference =
                Map.of("mobile", 29_000L, "desktop", 17_000L, "tablet", 4_000L);
        Map<String, Long> current = Map.of("mobile", 477L, "desktop", 306L, "tablet", 117L);

        ChiSquareHomogeneity.Result chi = ChiSquareHomogeneity.test(reference, current);
        double distance = DistributionDistance.totalVariation(reference, current);

        // chi2_contingency([[29000,17000,4000],[477,306,117]], correction=False)
        assertThat(chi.statistic).isCloseTo(31.14225753908871, within(1e-9));
        assertThat(chi.pValue).isCloseTo(1.7280038206676933e-07, withinPercentage(1e-4));
        // Cramer's V of the table with the reference row rescaled to 900:
        // t = [[522, 306, 72], [477, 306, 117]]; sqrt(chi2_contingency(t, correction=False)[0]
        // / t.sum()). Below the guide's 0.1, as V stays for a 5-point move at any sample size.
        assertThat(chi.cramersV).isCloseTo(0.08413386404122349, within(1e-12));
        assertThat(distance).isCloseTo(0.05, within(1e-12));

        assertThat(RULES.passesEffectGate(chi.pValue, chi.cramersV)).isFalse();
        assertThat(RULES.drifted(chi.pValue, distance, ALPHA)).isTrue();
    }

    @Test
    void theScoresDriftOnTheirKsTestOrOnAMeanShiftAboveTwoSd() {
        assertThat(RULES.predictionDrifted(1e-9, 0.2, 0.5, ALPHA)).isTrue();
        assertThat(RULES.predictionDrifted(0.5, 0.01, 2.1, ALPHA)).isTrue();
        assertThat(RULES.predictionDrifted(1e-5, 0.2, 1.9, ALPHA)).isFalse();
        assertThat(RULES.predictionDrifted(0.5, 0.01, Double.NaN, ALPHA)).isFalse();
    }

    @Test
    void rejectsBudgetsAndFloorsOutOfRange() {
        assertThatThrownBy(() -> new DriftRules(0.05, 0.1, 2, 3, 0, 0.03))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DriftRules(0.05, 0.1, 2, 3, 0.01, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RULES.testAlpha(FIVE_MINUTES, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
