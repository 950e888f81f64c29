package io.recsys.monitor.job;

import io.recsys.monitor.model.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Alerts as the scenario tests compare them: what, where, which state, and when; per series. */
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

    /** {@link #of(Alert, long, long)} of each alert, in the same order. */
    static List<String> of(List<Alert> alerts, long start, long unitMillis) {
        return alerts.stream().map(a -> of(a, start, unitMillis)).collect(Collectors.toList());
    }

    /**
     * The alerts of each alarm and series (their deduplication key, which names both), in key
     * order, each series' alerts in the order given.
     */
    static Map<String, List<Alert>> bySeries(List<Alert> alerts) {
        Map<String, List<Alert>> bySeries = new TreeMap<>();
        for (Alert a : alerts) {
            bySeries.computeIfAbsent(a.deduplicationKey, k -> new ArrayList<>()).add(a);
        }
        return bySeries;
    }
}
