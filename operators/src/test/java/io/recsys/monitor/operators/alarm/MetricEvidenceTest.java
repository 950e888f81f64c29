package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.MetricNames;
import org.junit.jupiter.api.Test;

/** Which rule each metric gets, and CloudWatch's sample counts for percentiles. */
class MetricEvidenceTest {

    @Test
    void percentilesNeedTenOverTheirTail() {
        // "Percentile-based CloudWatch alarms and low data samples", Amazon CloudWatch User Guide:
        // 10 / (1 - p) for p >= 0.5.
        assertThat(MetricEvidence.of(MetricNames.LATENCY_P99).minimumSamples()).isEqualTo(1000);
        assertThat(MetricEvidence.of(MetricNames.LATENCY_P95).minimumSamples()).isEqualTo(200);
        assertThat(MetricEvidence.of(MetricNames.LATENCY_P50).minimumSamples()).isEqualTo(20);
        assertThat(MetricEvidence.of(MetricNames.LATENCY_P99).percentile()).isEqualTo(0.99);
    }

    @Test
    void ratiosAreProportionsMeansAreMeansTheRestIsCompared() {
        for (String m :
                new String[] {
                    MetricNames.CTR,
                    MetricNames.CTR_AT_RANK,
                    MetricNames.CONVERSION_RATE,
                    MetricNames.ADD_TO_CART_RATE,
                    MetricNames.ERROR_RATE,
                    MetricNames.AVAILABILITY,
                    MetricNames.COVERAGE,
                    MetricNames.FEATURE_MISSING_RATE
                }) {
            assertThat(MetricEvidence.of(m).kind()).as(m).isEqualTo(MetricEvidence.Kind.PROPORTION);
        }
        assertThat(MetricEvidence.of(MetricNames.AVERAGE_ORDER_VALUE).kind())
                .isEqualTo(MetricEvidence.Kind.MEAN);
        assertThat(MetricEvidence.of(MetricNames.DIVERSITY).kind())
                .isEqualTo(MetricEvidence.Kind.MEAN);
        for (String m :
                new String[] {
                    MetricNames.ERRORS, MetricNames.EVENT_VOLUME, MetricNames.FEATURE_DRIFT, "Mine"
                }) {
            assertThat(MetricEvidence.of(m).kind()).as(m).isEqualTo(MetricEvidence.Kind.NONE);
            assertThat(MetricEvidence.of(m).minimumSamples()).isZero();
        }
    }
}
