package io.recsys.monitor.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {

    @Test
    void reproducesTheExampleOfBenjaminiAndHochberg1995() {
        // Benjamini & Hochberg (1995), J. R. Statist. Soc. B 57(1), section 4.1: 15 p-values of a
        // myocardial infarction study; at q = 0.05 the procedure rejects the four smallest (the
        // Bonferroni-type procedure only three).
        double[] p = {
            0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
            0.5719, 0.6528, 0.7590, 1.000
        };
        boolean[] rejected = BenjaminiHochberg.reject(p, 0.05);
        int count = 0;
        for (int i = 0; i < p.length; i++) {
            assertThat(rejected[i]).as("p = " + p[i]).isEqualTo(i < 4);
            count += rejected[i] ? 1 : 0;
        }
        assertThat(count).isEqualTo(4);
    }

    @Test
    void stepsUpPastAPValueAboveItsOwnThreshold() {
        // p_(1) = 0.04 > 0.05 / 2 but p_(2) = 0.045 <= 2 / 2 * 0.05: both rejected.
        assertThat(BenjaminiHochberg.reject(new double[] {0.045, 0.04}, 0.05))
                .containsExactly(true, true);
        assertThat(BenjaminiHochberg.reject(new double[] {0.06, Double.NaN}, 0.05))
                .containsExactly(false, false);
    }
}
