package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.Alert;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertLineTest {

    @Test
    void formatsARaisedAlarm() {
        assertThat(AlertLine.format(lowCtr("ALARM", "OK", 1.52)))
                .isEqualTo(
                        "2026-01-01T03:00:00Z CRITICAL ALARM recommendation-low-ctr CTR{} = 1.52"
                                + " (threshold 2.0) - CTR below 2.0 in 3 of 3 periods");
    }

    @Test
    void formatsAResolution() {
        assertThat(AlertLine.format(lowCtr("OK", "ALARM", 2.41)))
                .isEqualTo(
                        "2026-01-01T03:00:00Z CRITICAL OK (resolved) recommendation-low-ctr CTR{}"
                                + " = 2.41 (threshold 2.0) - CTR below 2.0 in 3 of 3 periods");
    }

    @Test
    void marksAFlappingAlertWhateverItsState() {
        Alert alert = lowCtr("OK", "ALARM", 2.41);
        alert.notification = "flapping";
        assertThat(AlertLine.format(alert))
                .startsWith("2026-01-01T03:00:00Z CRITICAL OK (flapping) recommendation-low-ctr");
        alert.state = "ALARM";
        assertThat(AlertLine.format(alert)).contains(" CRITICAL ALARM (flapping) ");
    }

    @Test
    void showsDimensionsLikeASeriesKey() {
        Alert alert = lowCtr("ALARM", "OK", 1.52);
        alert.dimensions = new TreeMap<>();
        alert.dimensions.put("Segment", "new_users");
        alert.dimensions.put("ModelVersion", "v2");

        assertThat(AlertLine.format(alert))
                .contains(" CTR{ModelVersion=v2, Segment=new_users} = 1.52 ");
    }

    @Test
    void keepsLongOrMultiLineReasonsOnOneShortLine() {
        Alert alert = lowCtr("ALARM", "OK", 1.52);
        alert.reason = "first line\nsecond line " + "x".repeat(500);

        String line = AlertLine.format(alert);

        assertThat(line).doesNotContain("\n").contains("first line second line").endsWith("...");
        assertThat(line.substring(line.indexOf(" - ") + 3)).hasSize(AlertLine.MAX_REASON_LENGTH);
    }

    @Test
    void omitsAMissingReason() {
        Alert alert = lowCtr("ALARM", "OK", 1.52);
        alert.reason = null;

        assertThat(AlertLine.format(alert)).endsWith("(threshold 2.0)");
    }

    @Test
    void roundsNumbersToFourSignificantDigitsButKeepsIntegerDigits() {
        assertThat(AlertLine.number(1.52)).isEqualTo("1.52");
        assertThat(AlertLine.number(2)).isEqualTo("2.0");
        assertThat(AlertLine.number(1.523456)).isEqualTo("1.523");
        assertThat(AlertLine.number(0.000123456)).isEqualTo("0.0001235");
        assertThat(AlertLine.number(1234.56)).isEqualTo("1235.0");
        assertThat(AlertLine.number(-0.5)).isEqualTo("-0.5");
        assertThat(AlertLine.number(0)).isEqualTo("0.0");
        assertThat(AlertLine.number(Double.NaN)).isEqualTo("NaN");
    }

    private static Alert lowCtr(String state, String previousState, double value) {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "critical";
        alert.state = state;
        alert.previousState = previousState;
        alert.metric = "CTR";
        alert.value = value;
        alert.threshold = 2.0;
        alert.time = Instant.parse("2026-01-01T03:00:00Z").toEpochMilli();
        alert.reason = "CTR below 2.0 in 3 of 3 periods";
        alert.route = "ml";
        alert.deduplicationKey = "recommendation-low-ctr|";
        return alert;
    }
}
