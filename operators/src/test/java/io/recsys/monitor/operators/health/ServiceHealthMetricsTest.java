package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.ServiceHealthCounts;
import org.junit.jupiter.api.Test;

/** Error rate, throughput and the error-type cap, against values worked out by hand. */
class ServiceHealthMetricsTest {

    static PredictionEvent response(double latencyMs, String errorType, boolean error) {
        PredictionEvent p = new PredictionEvent();
        p.modelVersion = "v1";
        p.latencyMs = latencyMs;
        p.error = error;
        p.errorType = errorType;
        return p;
    }

    @Test
    void errorRateAndThroughputByHand() {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 0; i < 37; i++) {
            c.add(response(10, null, false));
        }
        c.add(response(10, "Timeout", true));
        c.add(response(10, "Timeout", true));
        c.add(response(10, null, true));
        // 3 failed of 40: 7.5 %; 40 in 60 s: 0.6667 per second.
        assertThat(ServiceHealthMetrics.errorRate(c).getAsDouble()).isCloseTo(7.5, within(1e-12));
        assertThat(ServiceHealthMetrics.requestsPerSecond(c, 60_000))
                .isCloseTo(40.0 / 60, within(1e-12));
        assertThat(c.errorsByType).containsEntry("Timeout", 2L).containsEntry("unknown", 1L);
        assertThat(ServiceHealthMetrics.isAvailable(c, 5.0, 0)).isFalse();
        assertThat(ServiceHealthMetrics.isAvailable(c, 7.6, 0)).isTrue();
    }

    private static ServiceHealthCounts minute(int requests, int errors) {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 0; i < requests; i++) {
            c.add(response(10, null, i < errors));
        }
        return c;
    }

    @Test
    void aWindowIsUnavailableOnlyWhenItsErrorRateIsShownAtTheThreshold() {
        // Wilson at 95 % (z = 1.96) by hand, n = 60: 3 errors give [1.71 %, 13.70 %], 6 give
        // [4.66 %, 20.15 %], 7 give [5.77 %, 22.18 %]. Unavailable from the first whose lower bound
        // reaches 5 %.
        assertThat(ServiceHealthMetrics.isAvailable(minute(60, 3), 5.0, 0.95)).isTrue();
        assertThat(ServiceHealthMetrics.isAvailable(minute(60, 6), 5.0, 0.95)).isTrue();
        assertThat(ServiceHealthMetrics.isAvailable(minute(60, 7), 5.0, 0.95)).isFalse();
        // By value, 3 of 60 is exactly 5 %: unavailable.
        assertThat(ServiceHealthMetrics.isAvailable(minute(60, 3), 5.0, 0)).isFalse();
        // At the guide's 60,000 requests a minute the interval is narrow: 5.3 % is unavailable.
        assertThat(ServiceHealthMetrics.isAvailable(minute(60_000, 3_180), 5.0, 0.95)).isFalse();
        assertThat(ServiceHealthMetrics.isAvailable(minute(60_000, 2_940), 5.0, 0.95)).isTrue();
    }

    @Test
    void anEmptyWindowHasNoRateAndIsNotAvailable() {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        assertThat(ServiceHealthMetrics.errorRate(c)).isEmpty();
        assertThat(ServiceHealthMetrics.latencyPercentile(c, 0.99)).isEmpty();
        assertThat(ServiceHealthMetrics.isAvailable(c, 5.0, 0)).isFalse();
    }

    @Test
    void errorTypesBeyondTheCapFoldIntoOtherAlsoWhenMerging() {
        ServiceHealthCounts a = new ServiceHealthCounts(3);
        for (String type : new String[] {"A", "B", "C", "D", "A"}) {
            a.add(response(10, type, true));
        }
        // Cap 3 including "other": A and B kept, C and D folded.
        assertThat(a.errorsByType)
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("A", 2L),
                        org.assertj.core.api.Assertions.entry("B", 1L),
                        org.assertj.core.api.Assertions.entry("other", 2L));
        ServiceHealthCounts b = new ServiceHealthCounts(3);
        b.add(response(10, "E", true));
        b.add(response(10, "B", true));
        a.merge(b);
        assertThat(a.errorsByType).hasSize(3).containsEntry("B", 2L).containsEntry("other", 3L);
        assertThat(a.errors).isEqualTo(7);
        assertThat(a.requests).isEqualTo(7);
    }
}
