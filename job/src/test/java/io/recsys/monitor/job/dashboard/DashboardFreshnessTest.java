package io.recsys.monitor.job.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live page's freshness as configured: the parts of the delay from a window's end to its point
 * on the page that the configuration fixes, and that the defaults leave room within a one-minute
 * period for the job's own processing (measured with {@code bin/dashboard-freshness}).
 */
class DashboardFreshnessTest {
    @Test
    void theDelayIsTheOutOfOrdernessTheCheckpointIntervalAndThePagesPoll() {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                Settings.WATERMARK_OUT_OF_ORDERNESS.key(), "5s",
                                Settings.CHECKPOINT_INTERVAL.key(), "3s"));

        assertThat(DashboardFreshness.configuredDelay(config)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDefaultsLeaveAQuarterOfAOneMinutePeriodForTheJobsOwnWork() {
        MonitorConfig defaults = MonitorConfig.defaults();
        Duration period = defaults.get(Settings.HEALTH_PERIOD);

        assertThat(period).isEqualTo(Duration.ofMinutes(1));
        assertThat(DashboardFreshness.configuredDelay(defaults))
                .isEqualTo(Duration.ofSeconds(42))
                .isLessThanOrEqualTo(period.multipliedBy(3).dividedBy(4));
    }

    @Test
    void thePageAsksAsOftenAsTheDelaySays() {
        String script =
                new String(DashboardPage.resource(DashboardPage.SCRIPT), StandardCharsets.UTF_8);

        assertThat(script)
                .contains("setTimeout(poll, " + DashboardPage.POLL_INTERVAL.toMillis() + ")");
    }
}
