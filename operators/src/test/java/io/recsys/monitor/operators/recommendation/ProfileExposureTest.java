package io.recsys.monitor.operators.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileExposureTest {

    @Test
    void sharesOfTheReferenceWithAHalfExposureFloorForUnseenItems() {
        // 3 + 1 exposures, plus the half exposure of the floor: total 4.5.
        ProfileExposure exposure = new ProfileExposure(Map.of("a", 3L, "b", 1L));
        assertThat(exposure.share("a")).isCloseTo(3 / 4.5, within(1e-12));
        assertThat(exposure.share("b")).isCloseTo(1 / 4.5, within(1e-12));
        assertThat(exposure.share("never-shown")).isCloseTo(0.5 / 4.5, within(1e-12));
        // Novelty -log2(share): the unseen item is the most novel.
        double unseen = -Math.log(exposure.share("never-shown")) / Math.log(2);
        double rare = -Math.log(exposure.share("b")) / Math.log(2);
        assertThat(unseen).isGreaterThan(rare);
    }
}
