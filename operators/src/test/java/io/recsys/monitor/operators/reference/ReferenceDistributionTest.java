package io.recsys.monitor.operators.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.operators.drift.EmpiricalCdf;
import io.recsys.monitor.operators.drift.NumericSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceDistributionTest {

    @Test
    void aQuantityWithFewDistinctValuesIsStoredExactly() {
        ReferenceDistribution d = new ReferenceDistribution(1000, 100);
        for (int i = 0; i < 500; i++) {
            d.add(18 + i % 10, NumericSample.priority("r" + i, i));
        }
        EmpiricalCdf cdf = d.distribution();
        assertThat(cdf.rankError()).isZero();
        assertThat(cdf.values()).containsExactly(18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
        assertThat(cdf.cumulativeCounts())
                .containsExactly(50, 100, 150, 200, 250, 300, 350, 400, 450, 500);
    }

    @Test
    void manyDistinctValuesBecomeQuantilesAtEvenlySpacedRanks() {
        // 1..1000 once each, 100 points: the order statistics of ranks 10, 20, ..., 1000, and
        // between two of them F is at most one step (10 of 1000) below the exact one.
        ReferenceDistribution d = new ReferenceDistribution(1000, 100);
        for (int v = 1000; v >= 1; v--) {
            d.add(v, NumericSample.priority("r" + v, v));
        }
        EmpiricalCdf cdf = d.distribution();
        assertThat(cdf.values()).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(cdf.values()[i]).isEqualTo(10.0 * (i + 1));
            assertThat(cdf.cumulativeCounts()[i]).isEqualTo(10L * (i + 1));
        }
        assertThat(cdf.rankError()).isCloseTo(0.01, within(1e-15));
        for (double x = 0.5; x <= 1000.5; x += 0.5) {
            double exact = Math.min(1.0, Math.max(0.0, Math.floor(x) / 1000.0));
            assertThat(exact - cdf.cdf(x)).isBetween(0.0, cdf.rankError());
        }
    }

    @Test
    void aSampledBaselineKeepsItsCountAndStaysWithinItsRankError() {
        // 20,000 standard normal values, 2,000 kept, 200 points: counts in baseline units, and
        // F within step (10 / 2000) + DKW (sqrt(ln 200 / 4000) = 0.0364) of the true normal CDF
        // (the Dvoretzky-Kiefer-Wolfowitz bound holds with 99 %; the hash makes this fixed).
        ReferenceDistribution d = new ReferenceDistribution(2000, 200);
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            d.add(random.nextGaussian(), NumericSample.priority("req-" + i, 1_000L * i));
        }
        EmpiricalCdf cdf = d.distribution();
        assertThat(d.count()).isEqualTo(20_000);
        assertThat(cdf.count()).isEqualTo(20_000);
        assertThat(cdf.values()).hasSize(200);
        assertThat(cdf.rankError())
                .isCloseTo(10.0 / 2000 + Math.sqrt(Math.log(200) / 4000), within(1e-12));
        org.apache.commons.math3.distribution.NormalDistribution normal =
                new org.apache.commons.math3.distribution.NormalDistribution();
        for (double x = -4; x <= 4; x += 0.01) {
            assertThat(Math.abs(cdf.cdf(x) - normal.cumulativeProbability(x)))
                    .isLessThanOrEqualTo(cdf.rankError() + 1.0 / 20_000);
        }
    }

    @Test
    void theSameBaselineInAnyOrderGivesTheSameDistribution() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            order.add(i);
        }
        EmpiricalCdf first = distributionOf(order);
        Collections.shuffle(order, new Random(3));
        EmpiricalCdf shuffled = distributionOf(order);
        assertThat(shuffled.values()).containsExactly(first.values());
        assertThat(shuffled.cumulativeCounts()).containsExactly(first.cumulativeCounts());
        assertThat(shuffled.rankError()).isEqualTo(first.rankError());
    }

    @Test
    void valuesThatAreNotFiniteAreNotObservations() {
        ReferenceDistribution d = new ReferenceDistribution(10, 10);
        d.add(Double.NaN, 1);
        d.add(Double.POSITIVE_INFINITY, 2);
        d.add(3.0, 3);
        assertThat(d.count()).isEqualTo(1);
        assertThat(d.distribution().values()).containsExactly(3.0);
    }

    private static EmpiricalCdf distributionOf(List<Integer> order) {
        ReferenceDistribution d = new ReferenceDistribution(5000, 300);
        for (int i : order) {
            // A value of the event's own: the same events, read in another order.
            d.add(Math.sin(i) * 100 + (i % 7), NumericSample.priority("req-" + i, i));
        }
        return d.distribution();
    }
}
