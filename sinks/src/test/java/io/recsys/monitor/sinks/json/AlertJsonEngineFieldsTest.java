package io.recsys.monitor.sinks.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.local.AlertLine;
import io.recsys.monitor.sinks.sns.AlertMessage;
import io.recsys.monitor.sinks.sns.AlertMessageConverter;
import io.recsys.monitor.sinks.sns.AlertRouting;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fields the alarm engine adds to an alert reach every output. */
class AlertJsonEngineFieldsTest {

    static Alert engineAlert() {
        Alert a = new Alert();
        a.alarmName = "api-errors";
        a.severity = "critical";
        a.state = "ALARM";
        a.previousState = "OK";
        a.metric = "Errors";
        a.dimensions = new TreeMap<>();
        a.dimensions.put("ErrorType", "ModelTimeout");
        a.dimensions.put("ModelVersion", "v3");
        a.value = 14;
        a.threshold = 10;
        a.time = 1_767_229_320_000L;
        a.reason = "API errors above 10 per minute";
        a.route = "critical";
        a.deduplicationKey = "recommendation-api-high-error-rate/Errors{ErrorType=ModelTimeout}";
        a.priority = "P1";
        a.action = "rollback_model";
        a.kind = "high-error-rate";
        a.notification = "raised";
        a.summary = "API errors above 10 per minute (per error type)";
        a.modelVersion = "v3";
        a.recentValues = new double[] {12, Double.NaN, 14};
        a.runbook.addAll(Arrays.asList("Investigate", "Mitigate"));
        a.heldBackBy = "data-outage";
        a.heldBackSince = 1_767_225_600_000L;
        return a;
    }

    @Test
    void jsonRoundTripKeepsEveryEngineField() {
        Alert a = engineAlert();
        String line = new AlertJson().encode(a);
        assertThat(line)
                .contains("\"recent_values\":[12.0,null,14.0]")
                .contains("\"action\":\"rollback_model\"")
                .contains("\"held_back_since\":\"2026-01-01T00:00:00.000Z\"");
        assertThat(AlertJson.decode(line)).isEqualTo(a);
    }

    @Test
    void snsMessageCarriesActionPriorityAndKind() {
        AlertMessage m =
                new AlertMessageConverter(new AlertRouting("arn:c", "arn:w", "arn:m"))
                        .apply(engineAlert(), null);
        assertThat(m.messageAttributes)
                .containsEntry("action", "rollback_model")
                .containsEntry("priority", "P1")
                .containsEntry("kind", "high-error-rate");
        assertThat(m.subject)
                .isEqualTo(
                        "[P1 CRITICAL] api-errors ALARM: Errors 14.0 > 10.0"
                                + " (ErrorType=ModelTimeout, ModelVersion=v3)");
        assertThat(m.topicArn).isEqualTo("arn:c");
    }

    @Test
    void compositeSubjectShowsItsSummary() {
        Alert a = engineAlert();
        a.value = Double.NaN;
        a.threshold = Double.NaN;
        a.summary = "Features drifted and CTR dropped";
        a.dimensions = new TreeMap<>();
        a.dimensions.put("ModelVersion", "v1");
        assertThat(AlertMessageConverter.subject(a))
                .isEqualTo(
                        "[P1 CRITICAL] api-errors ALARM: Features drifted"
                                + " and CTR dropped (ModelVersion=v1)");
    }

    @Test
    void consoleLineShowsPriorityAndAction() {
        assertThat(AlertLine.format(engineAlert()))
                .startsWith("2026-01-01T01:02:00Z CRITICAL P1 ALARM api-errors")
                .contains("action=rollback_model");
    }
}
