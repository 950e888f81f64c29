package io.recsys.monitor.sinks.json;

import io.recsys.monitor.model.MetricPoint;

/**
 * Writes a {@link MetricPoint} as one JSON line, the format of {@code metrics.jsonl}:
 *
 * <pre>{@code
 * {"namespace":"RecSys/Monitor","metric":"CTR","dimensions":{"ModelVersion":"v1"},
 *  "timestamp":"2026-01-01T01:00:00.000Z","value":1.52,"unit":"Percent",
 *  "window_start":"2026-01-01T00:55:00.000Z","window_end":"2026-01-01T01:00:00.000Z"}
 * }</pre>
 *
 * <p>All times are ISO-8601 UTC with milliseconds; {@code timestamp} is the window end, as in the
 * model. A value that is NaN or infinite (e.g. a rate over an empty window) is written as {@code
 * null}, because JSON has no such numbers and a bare {@code NaN} token would break every reader of
 * the file; {@link #decode} turns {@code null} back into NaN.
 *
 * <p>The evidence behind the value follows when known: {@code "samples"} (the count the value was
 * computed from) and {@code "sample_std_dev"} (for a mean); both are omitted when unknown, and a
 * line without them reads back as samples 0 and std dev NaN.
 */
public final class MetricPointJson implements RecordEncoder<MetricPoint> {
    private static final long serialVersionUID = 1L;

    @Override
    public String encode(MetricPoint point) {
        return JsonFields.write(point);
    }

    /**
     * Reads a line written by {@link #encode} back into a point, for tests and tools that check
     * {@code metrics.jsonl}. A {@code null} value becomes NaN.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static MetricPoint decode(String line) {
        return JsonFields.read(
                line, MetricPoint.class, "metric point", "timestamp", "window_start", "window_end");
    }
}
