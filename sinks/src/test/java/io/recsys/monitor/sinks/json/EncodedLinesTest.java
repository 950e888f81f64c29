package io.recsys.monitor.sinks.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lines of the four outputs, byte for byte, as the first release's hand-written encoders wrote
 * them for {@link RecordFixtures} (field order, omitted fields, number formats, {@code null} for
 * NaN, escapes): the mapping by mixins must not change a reader's input.
 */
class EncodedLinesTest {

    private static final List<String> FIRST_RELEASE =
            List.of(
                    "{\"namespace\":\"RecSys/Monitor\",\"metric\":\"LatencyMean\",\"dimensions\":{\"ModelVersion\":\"v1\",\"Segment\":\"new_users\"},\"timestamp\":\"2026-01-01T01:00:00.007Z\",\"value\":1.23456789125E8,\"unit\":\"Milliseconds\",\"window_start\":\"2026-01-01T00:55:00.007Z\",\"window_end\":\"2026-01-01T01:00:00.007Z\",\"samples\":200,\"sample_std_dev\":0.75}",
                    "{\"namespace\":\"RecSys/Monitor\",\"metric\":\"CTR\",\"dimensions\":{},\"timestamp\":\"2026-01-01T01:00:00.007Z\",\"value\":null,\"unit\":\"Percent\",\"window_start\":\"1970-01-01T00:00:00.000Z\",\"window_end\":\"2026-01-01T01:00:00.007Z\"}",
                    "{\"namespace\":\"RecSys/Monitor\",\"metric\":\"CTR\",\"dimensions\":{\"k\":\"é\\u202e\"},\"timestamp\":\"2026-01-01T01:00:00.007Z\",\"value\":1.0E-7,\"unit\":null,\"window_start\":\"2026-01-01T01:00:00.007Z\",\"window_end\":\"2026-01-01T01:00:00.007Z\"}",
                    "{\"alarm_name\":\"api-errors\",\"severity\":\"critical\",\"state\":\"ALARM\",\"previous_state\":\"OK\",\"metric\":\"Errors\",\"dimensions\":{\"ErrorType\":\"ModelTimeout\",\"ModelVersion\":\"v3\"},\"value\":14.0,\"threshold\":10.0,\"time\":\"2026-01-01T01:02:00.000Z\",\"reason\":\"API errors above 10 per minute\",\"route\":\"critical\",\"deduplication_key\":\"recommendation-api-high-error-rate/Errors{ErrorType=ModelTimeout}\",\"priority\":\"P1\",\"action\":\"rollback_model\",\"kind\":\"high-error-rate\",\"notification\":\"raised\",\"summary\":\"API errors above 10 per minute (per error type)\",\"model_version\":\"v3\",\"recent_values\":[12.0,null,14.0],\"runbook\":[\"Investigate\",\"Mitigate\"],\"held_back_by\":\"data-outage\",\"held_back_since\":\"2026-01-01T00:00:00.000Z\"}",
                    "{\"alarm_name\":\"error-rate\",\"severity\":\"warning\",\"state\":\"OK\",\"previous_state\":null,\"metric\":\"ErrorRate\",\"dimensions\":{},\"value\":null,\"threshold\":null,\"time\":\"1970-01-01T00:00:00.000Z\",\"reason\":\"line\\nbreak \\ud800 \\u0007\",\"route\":null,\"deduplication_key\":null}",
                    "{\"model_version\":\"v1\",\"feature\":\"user_age\",\"test\":\"ks\",\"statistic\":0.21,\"p_value\":1.0E-40,\"effect_size\":0.21,\"n_reference\":86400,\"n_current\":1800,\"error_bound\":0.0078,\"drifted\":true,\"flagged_by_minutes\":15,\"severity\":\"medium\",\"reference_version\":\"baseline\",\"window_start\":\"2026-01-01T01:00:00.000Z\",\"window_end\":\"2026-01-01T02:00:00.000Z\",\"retraining_recommended\":false,\"psi\":0.3,\"jensen_shannon\":0.2,\"variance_change\":null,\"folded_categories\":0}",
                    "{\"model_version\":\"v9\",\"feature\":\"_all\",\"test\":\"no-reference\",\"statistic\":null,\"p_value\":null,\"effect_size\":-0.0,\"n_reference\":0,\"n_current\":0,\"error_bound\":0.0,\"drifted\":false,\"flagged_by_minutes\":0,\"severity\":\"low\",\"reference_version\":null,\"window_start\":\"1970-01-01T00:00:00.000Z\",\"window_end\":\"1970-01-01T00:00:00.000Z\",\"retraining_recommended\":true,\"psi\":null,\"jensen_shannon\":null,\"variance_change\":1.0E21,\"folded_categories\":3}",
                    "{\"reason\":\"not JSON: \\\"{\\\"\",\"category\":\"invalid_json\",\"raw\":\"{\\u0000\\u007F\\u0085\\u200b\\ud83d\\ude00\\udc00\",\"raw_base64\":\"AP8=\",\"source\":\"file:/tmp/in.jsonl\",\"received_at\":\"2026-01-01T01:00:00.007Z\"}",
                    "{\"reason\":\"missing 'x'\",\"category\":\"missing_field\",\"raw\":null,\"source\":null,\"received_at\":\"2026-01-01T01:00:00.007Z\"}");

    @Test
    void writesTheLinesOfTheFirstRelease() {
        assertThat(encodeAll()).containsExactlyElementsOf(FIRST_RELEASE);
    }

    @Test
    void readsBackWhatItWrites() {
        List<Object> decoded = new ArrayList<>();
        for (String line : FIRST_RELEASE.subList(0, 3)) {
            decoded.add(MetricPointJson.decode(line));
        }
        for (String line : FIRST_RELEASE.subList(3, 5)) {
            decoded.add(AlertJson.decode(line));
        }
        for (String line : FIRST_RELEASE.subList(5, 7)) {
            decoded.add(DriftReportJson.decode(line));
        }
        for (String line : FIRST_RELEASE.subList(7, 9)) {
            decoded.add(DeadLetterJson.decode(line));
        }
        List<String> again = new ArrayList<>();
        for (Object record : decoded) {
            again.add(JsonFields.write(record));
        }
        assertThat(again).containsExactlyElementsOf(FIRST_RELEASE);
    }

    private static List<String> encodeAll() {
        List<String> lines = new ArrayList<>();
        RecordFixtures.points().forEach(p -> lines.add(new MetricPointJson().encode(p)));
        RecordFixtures.alerts().forEach(a -> lines.add(new AlertJson().encode(a)));
        RecordFixtures.driftReports().forEach(r -> lines.add(new DriftReportJson().encode(r)));
        RecordFixtures.deadLetters().forEach(d -> lines.add(new DeadLetterJson().encode(d)));
        return lines;
    }
}
