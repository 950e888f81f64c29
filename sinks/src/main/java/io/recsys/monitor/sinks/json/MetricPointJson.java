package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 *
 * <p>An instance is used by one writer thread; its {@link ObjectMapper} is created lazily after
 * deserialization on the task manager.
 */
public final class MetricPointJson implements RecordEncoder<MetricPoint> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;

    @Override
    public String encode(MetricPoint point) {
        ObjectMapper json = mapper();
        ObjectNode node = json.createObjectNode();
        node.put("namespace", point.namespace);
        node.put("metric", point.metric);
        JsonFields.putDimensions(node, point.dimensions);
        JsonFields.putTime(node, "timestamp", point.timestamp);
        JsonFields.putNumber(node, "value", point.value);
        node.put("unit", point.unit);
        JsonFields.putTime(node, "window_start", point.windowStart);
        JsonFields.putTime(node, "window_end", point.windowEnd);
        if (point.samples > 0) {
            node.put("samples", point.samples);
        }
        if (Double.isFinite(point.sampleStdDev)) {
            node.put("sample_std_dev", point.sampleStdDev);
        }
        return JsonFields.write(json, node);
    }

    /**
     * Reads a line written by {@link #encode} back into a point, for tests and tools that check
     * {@code metrics.jsonl}. A {@code null} value becomes NaN.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static MetricPoint decode(String line) {
        JsonNode node = JsonFields.read(line, "metric point");
        MetricPoint point = new MetricPoint();
        point.namespace = JsonFields.text(node, "namespace");
        point.metric = JsonFields.text(node, "metric");
        point.dimensions = JsonFields.dimensions(node);
        point.timestamp = JsonFields.time(node, "timestamp");
        point.value = JsonFields.number(node, "value");
        point.unit = JsonFields.text(node, "unit");
        point.windowStart = JsonFields.time(node, "window_start");
        point.windowEnd = JsonFields.time(node, "window_end");
        if (node.hasNonNull("samples")) {
            point.samples = node.get("samples").asLong();
        }
        if (node.hasNonNull("sample_std_dev")) {
            point.sampleStdDev = node.get("sample_std_dev").asDouble();
        }
        return point;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonFields.newMapper();
        }
        return mapper;
    }
}
