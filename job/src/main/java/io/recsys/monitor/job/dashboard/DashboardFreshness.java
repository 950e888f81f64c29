package io.recsys.monitor.job.dashboard;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.time.Duration;

/**
 * How long after a window's end its point is on the live page, at most, by the run's configuration,
 * when event time follows the clock: the window fires when the watermark passes its end, {@code
 * watermark.out-of-orderness} after the newest event reached it; the file sink shows the point at
 * the next completed checkpoint ({@code job.checkpoint-interval}); the page asks every {@link
 * DashboardPage#POLL_INTERVAL}. The job's own processing and the checkpoint's duration come on top,
 * so a configuration is only fit for a live page of one-minute metrics when this leaves a margin
 * under the period.
 */
public final class DashboardFreshness {
    private DashboardFreshness() {}

    /** The configured part of the delay from a window's end to its point on the page. */
    public static Duration configuredDelay(MonitorConfig config) {
        return config.get(Settings.WATERMARK_OUT_OF_ORDERNESS)
                .plus(config.get(Settings.CHECKPOINT_INTERVAL))
                .plus(DashboardPage.POLL_INTERVAL);
    }
}
