package io.recsys.monitor.job;

import io.recsys.monitor.model.Alert;

/** One alert as the scenario tests compare them: what, where, which state, and when. */
final class AlertSummary {
    private AlertSummary() {}

    /**
     * {@code alarm {dimensions} STATE/severity @n}, with n the number of {@code unitMillis} from
     * {@code start} to the end of the alert's period.
     */
    static String of(Alert a, long start, long unitMillis) {
        return a.alarmName
                + " "
                + a.dimensions
                + " "
                + a.state
                + "/"
                + a.severity
                + " @"
                + (a.time - start) / unitMillis;
    }
}
