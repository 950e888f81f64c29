package io.recsys.monitor.sinks.sns;

import static io.recsys.monitor.sinks.sns.SnsTestAlerts.CRITICAL;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.ML;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.lowCtr;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.routing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertMessageConverterTest {

    private final AlertMessageConverter converter = new AlertMessageConverter(routing());

    @Test
    void subjectSaysSeverityAlarmStateAndNumbers() {
        assertThat(AlertMessageConverter.subject(lowCtr()))
                .isEqualTo(
                        "[CRITICAL] recommendation-low-ctr ALARM: CTR 1.52 < 2.0 (ModelVersion=v2)");
    }

    @Test
    void resolvedAlertSaysResolved() {
        Alert alert = lowCtr();
        alert.state = "OK";
        alert.previousState = "ALARM";
        alert.value = 2.41234;
        assertThat(AlertMessageConverter.subject(alert))
                .isEqualTo(
                        "[RESOLVED] recommendation-low-ctr OK: CTR 2.412 > 2.0 (ModelVersion=v2)");
    }

    @Test
    void flappingAlertSaysFlappingAtItsSeverityAndCanBeFilteredOut() {
        Alert alert = lowCtr();
        alert.notification = "flapping";
        alert.priority = "P2";
        assertThat(AlertMessageConverter.subject(alert))
                .isEqualTo(
                        "[P2 CRITICAL FLAPPING] recommendation-low-ctr ALARM: CTR 1.52 < 2.0"
                                + " (ModelVersion=v2)");
        // Flapping detected in OK: flapping news at the severity, not a resolve.
        alert.state = "OK";
        assertThat(AlertMessageConverter.subject(alert)).startsWith("[P2 CRITICAL FLAPPING]");
        assertThat(converter.apply(alert, null).messageAttributes)
                .containsEntry("notification", "flapping");
    }

    @Test
    void missingValueShowsTheThresholdWithoutAComparison() {
        Alert alert = lowCtr();
        alert.severity = "warning";
        alert.state = "INSUFFICIENT_DATA";
        alert.value = Double.NaN;
        alert.dimensions.clear();
        assertThat(AlertMessageConverter.subject(alert))
                .isEqualTo(
                        "[WARNING] recommendation-low-ctr INSUFFICIENT_DATA: CTR NaN (threshold 2.0)");
    }

    @Test
    void subjectIsAsciiWithoutLineBreaksAndAtMost100Characters() {
        Alert alert = lowCtr();
        alert.alarmName = "modèle-dérive\r\nsegment\tnouveau-" + "x".repeat(200);
        String subject = AlertMessageConverter.subject(alert);
        assertThat(subject).hasSize(AlertMessageConverter.MAX_SUBJECT_LENGTH).endsWith("...");
        assertThat(subject).startsWith("[CRITICAL] mod?le-d?rive  segment nouveau-xxx");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void attributesLetSubscribersFilter() {
        AlertMessage message = converter.apply(lowCtr(), null);
        assertThat(message.messageAttributes)
                .containsOnly(
                        entry("alarm_name", "recommendation-low-ctr"),
                        entry("severity", "critical"),
                        entry("state", "ALARM"),
                        entry("route", "ml"),
                        entry("model_version", "v2"),
                        entry("action", "notify"),
                        entry("deduplication_key", "recommendation-low-ctr|ModelVersion=v2"));
    }

    @Test
    void attributesWithoutAValueAreLeftOut() {
        Alert alert = lowCtr();
        alert.dimensions.clear();
        alert.deduplicationKey = "";
        alert.route = null;
        AlertMessage message = converter.apply(alert, null);
        assertThat(message.messageAttributes)
                .doesNotContainKeys("model_version", "deduplication_key", "route")
                .containsEntry("action", AlertMessageConverter.DEFAULT_ACTION);
    }

    @Test
    void bodyIsTheWholeAlertAsJson() {
        Alert alert = lowCtr();
        AlertMessage message = converter.apply(alert, null);
        assertThat(message.message).isEqualTo(new AlertJson().encode(alert));
        assertThat(AlertJson.decode(message.message)).isEqualTo(alert);
        assertThat(message.topicArn).isEqualTo(ML);
    }

    @Test
    void standardTopicsGetNoFifoIds() {
        AlertMessage message = converter.apply(lowCtr(), null);
        assertThat(message.messageGroupId).isNull();
        assertThat(message.messageDeduplicationId).isNull();
    }

    @Test
    void fifoTopicsGroupByAlarmAndDeduplicateByKeyStateAndTime() {
        AlertMessageConverter fifo =
                new AlertMessageConverter(new AlertRouting(CRITICAL + ".fifo", "w", "m"));
        Alert alert = lowCtr();
        alert.route = "critical";
        AlertMessage message = fifo.apply(alert, null);
        assertThat(message.messageGroupId).isEqualTo("recommendation-low-ctr");
        assertThat(message.messageDeduplicationId)
                .isEqualTo("recommendation-low-ctr|ModelVersion=v2:ALARM:" + alert.time);
        // The same alert replayed after a failover gets the same id, so SNS drops the repeat.
        assertThat(fifo.apply(alert, null).messageDeduplicationId)
                .isEqualTo(message.messageDeduplicationId);
    }

    @Test
    void fifoIdsThatSnsWouldRefuseAreHashed() {
        assertThat(AlertMessageConverter.fifoId("with space")).hasSize(64).matches("[0-9a-f]+");
        assertThat(AlertMessageConverter.fifoId("x".repeat(129))).hasSize(64);
        assertThat(AlertMessageConverter.fifoId("x".repeat(128))).isEqualTo("x".repeat(128));
    }

    @Test
    void batchEntryIdsAreUniqueAndAcceptedBySns() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String id = converter.apply(lowCtr(), null).batchEntryId;
            // SNS: up to 80 alphanumerics, hyphens and underscores.
            assertThat(id).matches("[A-Za-z0-9_-]{1,80}");
            ids.add(id);
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void enormousReasonIsCutSoThatTheAlertStillFits() {
        Alert alert = lowCtr();
        alert.reason = "r".repeat(300_000);
        AlertMessage message = converter.apply(alert, null);
        assertThat(message.sizeInBytes())
                .isLessThanOrEqualTo(SnsAlertSinkBuilder.MAX_MESSAGE_BYTES);
        assertThat(AlertJson.decode(message.message).reason).endsWith("... [truncated]");
        assertThat(alert.reason).hasSize(300_000);
    }

    @Test
    void numbersHaveFourSignificantDigits() {
        assertThat(io.recsys.monitor.sinks.local.AlertLine.number(1.5234)).isEqualTo("1.523");
        assertThat(io.recsys.monitor.sinks.local.AlertLine.number(2)).isEqualTo("2.0");
        assertThat(io.recsys.monitor.sinks.local.AlertLine.number(1234.5)).isEqualTo("1234.0");
        assertThat(io.recsys.monitor.sinks.local.AlertLine.number(0.000123456))
                .isEqualTo("0.0001235");
    }
}
