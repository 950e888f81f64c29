package io.recsys.monitor.sinks.json;

import io.recsys.monitor.model.Alert;

/**
 * Writes an {@link Alert} as one JSON line, the format of {@code alerts.jsonl}, with the field
 * names a notification receiver expects: {@code alarm_name, severity, state, previous_state,
 * metric, dimensions, value, threshold, time, reason, route, deduplication_key}, and from the alarm
 * engine {@code priority, action, kind, notification, summary, model_version, recent_values,
 * runbook, held_back_by, held_back_since} (left out when the alert has none; recent values without
 * data are {@code null}).
 *
 * <p>{@code time} is ISO-8601 UTC with milliseconds. A NaN or infinite {@code value} or {@code
 * threshold} is written as {@code null} (JSON has no such numbers) and decoded back as NaN.
 */
public final class AlertJson implements RecordEncoder<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public String encode(Alert alert) {
        return JsonFields.write(alert);
    }

    /**
     * Reads a line written by {@link #encode} back into an alert, for tests and tools that check
     * {@code alerts.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static Alert decode(String line) {
        return JsonFields.read(line, Alert.class, "alert", "time");
    }
}
