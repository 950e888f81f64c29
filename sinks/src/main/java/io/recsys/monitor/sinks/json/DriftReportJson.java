package io.recsys.monitor.sinks.json;

import io.recsys.monitor.model.DriftReport;

/**
 * Writes a {@link DriftReport} as one JSON line, the format of {@code drift.jsonl}:
 *
 * <pre>{@code
 * {"model_version":"v1","feature":"user_age","test":"ks","statistic":0.21,"p_value":1.2E-40,
 *  "effect_size":0.21,"n_reference":86400,"n_current":3600,"error_bound":0.0078,"drifted":true,
 *  "flagged_by_minutes":15,"severity":"medium","reference_version":"baseline-2026-01","window_start":"2026-01-01T01:05:00.000Z",
 *  "window_end":"2026-01-01T02:05:00.000Z","retraining_recommended":false,"psi":0.31,
 *  "jensen_shannon":0.27,"variance_change":null,"folded_categories":0}
 * }</pre>
 *
 * <p>{@code flagged_by_minutes} is the length of the shortest window ending at {@code window_end}
 * that flagged the drift (the full window or its most recent panes), 0 when not drifted. Times as
 * ISO-8601 UTC with milliseconds; numbers that are NaN or infinite (a p-value of a "no-reference"
 * report, PSI of a categorical feature) as {@code null}, read back as NaN.
 */
public final class DriftReportJson implements RecordEncoder<DriftReport> {
    private static final long serialVersionUID = 1L;

    @Override
    public String encode(DriftReport report) {
        return JsonFields.write(report);
    }

    /**
     * Reads a line written by {@link #encode}, for tests and tools that check {@code drift.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static DriftReport decode(String line) {
        return JsonFields.read(
                line, DriftReport.class, "drift report", "window_start", "window_end");
    }
}
