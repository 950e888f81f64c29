package io.recsys.monitor.sinks.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private transient ObjectMapper mapper;

    @Override
    public String encode(DriftReport r) {
        if (mapper == null) {
            mapper = JsonFields.newMapper();
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("model_version", r.modelVersion);
        node.put("feature", r.feature);
        node.put("test", r.test);
        JsonFields.putNumber(node, "statistic", r.statistic);
        JsonFields.putNumber(node, "p_value", r.pValue);
        JsonFields.putNumber(node, "effect_size", r.effectSize);
        node.put("n_reference", r.nReference);
        node.put("n_current", r.nCurrent);
        JsonFields.putNumber(node, "error_bound", r.errorBound);
        node.put("drifted", r.drifted);
        node.put("flagged_by_minutes", r.flaggedByMinutes);
        node.put("severity", r.severity);
        node.put("reference_version", r.referenceVersion);
        JsonFields.putTime(node, "window_start", r.windowStart);
        JsonFields.putTime(node, "window_end", r.windowEnd);
        node.put("retraining_recommended", r.retrainingRecommended);
        JsonFields.putNumber(node, "psi", r.psi);
        JsonFields.putNumber(node, "jensen_shannon", r.jensenShannon);
        JsonFields.putNumber(node, "variance_change", r.varianceChange);
        node.put("folded_categories", r.foldedCategories);
        return JsonFields.write(mapper, node);
    }

    /**
     * Reads a line written by {@link #encode}, for tests and tools that check {@code drift.jsonl}.
     *
     * @throws IllegalArgumentException if the line is not such a JSON object
     */
    public static DriftReport decode(String line) {
        JsonNode node = JsonFields.read(line, "drift report");
        DriftReport r = new DriftReport();
        r.modelVersion = JsonFields.text(node, "model_version");
        r.feature = JsonFields.text(node, "feature");
        r.test = JsonFields.text(node, "test");
        r.statistic = JsonFields.number(node, "statistic");
        r.pValue = JsonFields.number(node, "p_value");
        r.effectSize = JsonFields.number(node, "effect_size");
        r.nReference = node.path("n_reference").asLong();
        r.nCurrent = node.path("n_current").asLong();
        r.errorBound = JsonFields.number(node, "error_bound");
        r.drifted = node.path("drifted").asBoolean();
        r.flaggedByMinutes = node.path("flagged_by_minutes").asInt();
        r.severity = JsonFields.text(node, "severity");
        r.referenceVersion = JsonFields.text(node, "reference_version");
        r.windowStart = JsonFields.time(node, "window_start");
        r.windowEnd = JsonFields.time(node, "window_end");
        r.retrainingRecommended = node.path("retraining_recommended").asBoolean();
        r.psi = JsonFields.number(node, "psi");
        r.jensenShannon = JsonFields.number(node, "jensen_shannon");
        r.varianceChange = JsonFields.number(node, "variance_change");
        r.foldedCategories = node.path("folded_categories").asInt();
        return r;
    }
}
