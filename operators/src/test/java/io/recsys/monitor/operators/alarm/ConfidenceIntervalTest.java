package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The intervals against values published or derived by hand. */
class ConfidenceIntervalTest {

    /**
     * Newcombe R. G. (1998), "Two-sided confidence intervals for the single proportion: comparison
     * of seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no
     * continuity correction), 95 %. The four bounds to four decimals as printed there (checked
     * against the closed form with z = 1.959964).
     */
    @ParameterizedTest
    @CsvSource({
        "81, 263, 0.2553, 0.3662",
        "15, 148, 0.0624, 0.1605",
        "0, 20, 0.0000, 0.1611",
        "1, 29, 0.0061, 0.1718"
    })
    void wilsonMatchesNewcombeTableOne(int successes, long trials, double low, double high) {
        ConfidenceInterval ci = ConfidenceInterval.wilson(successes, trials, 0.95);
        assertThat(ci.low()).isCloseTo(low, within(0.00005));
        assertThat(ci.high()).isCloseTo(high, within(0.00005));
    }

    @Test
    void wilsonRoundsPooledSuccessesAndCapsThemAtTheTrials() {
        // 3.2 % of 600 impressions is 19.2 clicks from pooled percentages: 19 clicks.
        ConfidenceInterval pooled = ConfidenceInterval.wilson(19.2, 600, 0.95);
        ConfidenceInterval exact = ConfidenceInterval.wilson(19, 600, 0.95);
        assertThat(pooled.low()).isEqualTo(exact.low());
        assertThat(ConfidenceInterval.wilson(12, 10, 0.95).high()).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> ConfidenceInterval.wilson(0, 0, 0.95))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Student's t with 2 degrees of freedom has the closed-form quantile t = (2p - 1) / sqrt(2p(1 -
     * p)); at p = 0.975 that is 0.95 / sqrt(0.04875) = 4.302653. Three samples of mean 10 and sd 2:
     * 10 +- 4.302653 x 2 / sqrt(3).
     */
    @Test
    void studentTMatchesTheClosedFormForTwoDegreesOfFreedom() {
        double t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
        double half = t * 2 / Math.sqrt(3);
        ConfidenceInterval ci = ConfidenceInterval.studentT(3, 10, 2, 0.95);
        assertThat(ci.low()).isCloseTo(10 - half, within(1e-6));
        assertThat(ci.high()).isCloseTo(10 + half, within(1e-6));
    }

    /**
     * One degree of freedom is the Cauchy distribution: t = tan(pi (p - 1/2)), 12.7062 at 0.975; at
     * 90 % confidence tan(0.45 pi) = 6.3138.
     */
    @Test
    void studentTMatchesTheCauchyQuantileForOneDegreeOfFreedom() {
        ConfidenceInterval ci = ConfidenceInterval.studentT(2, 0, Math.sqrt(2), 0.90);
        assertThat(ci.high()).isCloseTo(Math.tan(0.45 * Math.PI), within(1e-6));
        assertThat(ci.low()).isCloseTo(-Math.tan(0.45 * Math.PI), within(1e-6));
    }

    /**
     * The operations guide's example: 40 purchases averaging 52 with sd 30. t(39, 0.975) = 2.022691
     * (statistical tables), so 52 +- 2.022691 x 30 / sqrt(40) = 42.41 to 61.59.
     */
    @Test
    void studentTOfTheGuidesOrderValueExample() {
        ConfidenceInterval ci = ConfidenceInterval.studentT(40, 52, 30, 0.95);
        assertThat(ci.low()).isCloseTo(52 - 2.022691 * 30 / Math.sqrt(40), within(1e-4));
        assertThat(ci.high()).isCloseTo(61.5945, within(1e-3));
        assertThat(ci.toString()).isEqualTo("95 % interval 42.41-61.59");
    }

    @Test
    void studentTNeedsTwoSamples() {
        assertThatThrownBy(() -> ConfidenceInterval.studentT(1, 5, 0, 0.95))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
