package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.model.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scoring rules on hand-made alert lists: what counts as news, false alerts per day, and per
 * alarm and series the detection, its delay, the incidents and their notifications, and the
 * resolve.
 */
class AlertScoringTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static final String ERRORS = "recommendation-api-high-error-rate";
    private static final String ERROR_RATE = "recommendation-api-error-rate";
    private static final String LATENCY = "recommendation-api-high-latency";
    private static final String VOLUME = "recommendation-event-volume-low";

    private static final Map<String, String> CATALOGUE =
            new TreeMap<>(
                    Map.of(
                            ERRORS, "high-error-rate",
                            ERROR_RATE, "high-error-rate",
                            LATENCY, "high-latency",
                            VOLUME, "data-outage"));

    // error-burst from 01:00 to 02:00 of traffic that ends at 04:00.
    private static final long START = T0 + HOUR;
    private static final long END = T0 + 2 * HOUR;
    private static final long TRAFFIC_END = T0 + 4 * HOUR;

    @Test
    void cleanTrafficCountsEveryNotificationButTheQuietBookkeeping() {
        List<Alert> alerts =
                List.of(
                        alert(LATENCY, "high-latency", "OK", "INSUFFICIENT_DATA", T0 + HOUR),
                        alert(LATENCY, "high-latency", "INSUFFICIENT_DATA", "OK", T0 + 2 * HOUR),
                        raised(LATENCY, "high-latency", T0 + 3 * HOUR),
                        resolved(LATENCY, "high-latency", T0 + 3 * HOUR + MINUTE),
                        raised(VOLUME, "data-outage", T0 + DAY));

        AlertScoring.CleanScore score = AlertScoring.clean(alerts, T0, T0 + 2 * DAY);

        assertThat(score.alerts).hasSize(3);
        assertThat(score.days()).isEqualTo(2.0);
        assertThat(score.alertsPerDay()).isEqualTo(1.5);
        assertThat(score.alertsByAlarm())
                .containsExactly(Map.entry(LATENCY, 2), Map.entry(VOLUME, 1));
        assertThat(score.alertsPerDayByAlarm())
                .containsExactly(Map.entry(LATENCY, 1.0), Map.entry(VOLUME, 0.5));
        AlertScoring.AlertLine first = score.alerts.get(0);
        assertThat(first.alert.alarmName).isEqualTo(LATENCY);
        assertThat(first.series).isEqualTo("overall");
        assertThat(first.alert.time).isEqualTo(T0 + 3 * HOUR);
        assertThat(first.alert.notification).isEqualTo("raised");
        assertThat(first.alert.reason).isEqualTo("reason of " + LATENCY);
        assertThat(score.afterEnd).isEmpty();
    }

    @Test
    void cleanTrafficKeepsNotificationsOfPeriodsAfterItsEndApart() {
        // The hour after the last request has no predictions: the volume alarm is right, and
        // a period that ends exactly at the end of the traffic still counts.
        List<Alert> alerts =
                List.of(
                        raised(LATENCY, "high-latency", T0 + DAY),
                        raised(VOLUME, "data-outage", T0 + DAY + HOUR));

        AlertScoring.CleanScore score = AlertScoring.clean(alerts, T0, T0 + DAY);

        assertThat(score.alerts).extracting(a -> a.alert.alarmName).containsExactly(LATENCY);
        assertThat(score.afterEnd).extracting(a -> a.alert.alarmName).containsExactly(VOLUME);
        assertThat(score.alertsPerDay()).isEqualTo(1.0);
    }

    @Test
    void cleanTrafficNeedsASpan() {
        assertThatThrownBy(() -> AlertScoring.clean(List.of(), T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneIncidentRaisedEscalatedAndResolvedAfterTheProblem() {
        List<Alert> alerts =
                List.of(
                        raised(ERRORS, "high-error-rate", START + 2 * MINUTE),
                        escalated(ERRORS, "high-error-rate", START + 5 * MINUTE),
                        resolved(ERRORS, "high-error-rate", END + 3 * MINUTE));

        AlertScoring.ScenarioScore score = score(alerts);

        assertThat(score.detected()).isTrue();
        assertThat(score.firstDelayMillis()).isEqualTo(2 * MINUTE);
        AlertScoring.SeriesScore series = only(score);
        assertThat(series.alarm).isEqualTo(ERRORS);
        assertThat(series.series).isEqualTo("overall");
        assertThat(series.detected).isTrue();
        assertThat(series.delayMillis).isEqualTo(2 * MINUTE);
        assertThat(series.incidents).isEqualTo(1);
        assertThat(series.notifications)
                .containsExactly(
                        Map.entry("raised", 1),
                        Map.entry("escalated", 1),
                        Map.entry("resolved", 1));
        assertThat(series.notificationCount()).isEqualTo(3);
        assertThat(series.notificationsPerIncident()).isEqualTo(3.0);
        assertThat(series.resolved).isTrue();
        assertThat(series.resolveDelayMillis).isEqualTo(3 * MINUTE);
        assertThat(score.falseAlerts).isEmpty();
        assertThat(score.silentAlarms).containsExactly(ERROR_RATE);
    }

    @Test
    void aSeriesThatFlapsCountsEveryIncidentOfTheProblem() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alerts.add(raised(ERRORS, "high-error-rate", START + (10 * i + 2) * MINUTE));
            alerts.add(resolved(ERRORS, "high-error-rate", START + (10 * i + 4) * MINUTE));
        }
        alerts.add(raised(ERRORS, "high-error-rate", START + 50 * MINUTE));
        alerts.add(resolved(ERRORS, "high-error-rate", END + 2 * MINUTE));

        AlertScoring.SeriesScore series = only(score(alerts));

        assertThat(series.incidents).isEqualTo(4);
        assertThat(series.delayMillis).isEqualTo(2 * MINUTE);
        assertThat(series.notifications)
                .containsExactly(Map.entry("raised", 4), Map.entry("resolved", 4));
        assertThat(series.notificationsPerIncident()).isEqualTo(2.0);
        assertThat(series.resolved).isTrue();
        assertThat(series.resolveDelayMillis).isEqualTo(2 * MINUTE);
    }

    @Test
    void seriesAreScoredApartByDimensions() {
        List<Alert> alerts =
                List.of(
                        withModel(raised(ERROR_RATE, "high-error-rate", START + 5 * MINUTE), "v1"),
                        withModel(raised(ERROR_RATE, "high-error-rate", START + 6 * MINUTE), "v2"),
                        withModel(resolved(ERROR_RATE, "high-error-rate", END + MINUTE), "v1"));

        AlertScoring.ScenarioScore score = score(alerts);

        assertThat(score.series)
                .extracting(s -> s.series)
                .containsExactly("ModelVersion=v1", "ModelVersion=v2");
        AlertScoring.SeriesScore v2 = score.series.get(1);
        assertThat(v2.delayMillis).isEqualTo(6 * MINUTE);
        assertThat(v2.resolved).isFalse();
        assertThat(v2.resolveDelayMillis).isEqualTo(-1);
        assertThat(score.firstDelayMillis()).isEqualTo(5 * MINUTE);
        assertThat(score.silentAlarms).containsExactly(ERRORS);
    }

    @Test
    void anIncidentThatClearsWhileTheProblemLastsIsNotAResolve() {
        List<Alert> alerts =
                List.of(
                        raised(ERRORS, "high-error-rate", START + 2 * MINUTE),
                        resolved(ERRORS, "high-error-rate", END - 10 * MINUTE));

        AlertScoring.SeriesScore series = only(score(alerts));

        assertThat(series.resolved).isFalse();
        assertThat(series.resolveDelayMillis).isEqualTo(-10 * MINUTE);
    }

    @Test
    void alertsOfOtherKindsOrOutsideTheProblemAreFalse() {
        List<Alert> alerts =
                List.of(
                        // an expected kind before the problem started
                        raised(ERRORS, "high-error-rate", START - 5 * MINUTE),
                        resolved(ERRORS, "high-error-rate", START - 3 * MINUTE),
                        // a kind the scenario does not cause
                        raised(VOLUME, "data-outage", START + 30 * MINUTE),
                        // an expected kind raised later than a period after the end
                        raised(ERROR_RATE, "high-error-rate", END + HOUR + MINUTE));

        AlertScoring.ScenarioScore score = score(alerts);

        assertThat(score.detected()).isFalse();
        assertThat(score.firstDelayMillis()).isEqualTo(-1);
        assertThat(score.series).isEmpty();
        assertThat(score.falseAlerts)
                .extracting(a -> a.alert.alarmName, a -> a.alert.time)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ERRORS, START - 5 * MINUTE),
                        org.assertj.core.groups.Tuple.tuple(ERRORS, START - 3 * MINUTE),
                        org.assertj.core.groups.Tuple.tuple(VOLUME, START + 30 * MINUTE),
                        org.assertj.core.groups.Tuple.tuple(ERROR_RATE, END + HOUR + MINUTE));
        assertThat(score.silentAlarms).containsExactly(ERROR_RATE, ERRORS);
    }

    @Test
    void anIncidentRaisedWithinAPeriodAfterTheEndStillDetectsTheProblem() {
        // An hourly period that overlaps the problem's last minutes closes up to an hour later.
        List<Alert> alerts = List.of(raised(ERRORS, "high-error-rate", END + HOUR));

        AlertScoring.SeriesScore series = only(score(alerts));

        assertThat(series.delayMillis).isEqualTo(2 * HOUR);
        assertThat(series.resolved).isFalse();
    }

    @Test
    void scenarioNotificationsAfterTheTrafficAreNotScored() {
        List<Alert> alerts =
                List.of(
                        raised(ERRORS, "high-error-rate", START + 2 * MINUTE),
                        resolved(ERRORS, "high-error-rate", END + MINUTE),
                        raised(VOLUME, "data-outage", TRAFFIC_END + HOUR));

        AlertScoring.ScenarioScore score = score(alerts);

        assertThat(score.falseAlerts).isEmpty();
        assertThat(score.afterEnd).extracting(a -> a.alert.alarmName).containsExactly(VOLUME);
    }

    private static AlertScoring.ScenarioScore score(List<Alert> alerts) {
        return AlertScoring.scenario(
                alerts, START, END, TRAFFIC_END, Set.of("high-error-rate"), CATALOGUE, HOUR);
    }

    private static AlertScoring.SeriesScore only(AlertScoring.ScenarioScore score) {
        assertThat(score.series).hasSize(1);
        return score.series.get(0);
    }

    private static Alert raised(String alarm, String kind, long time) {
        Alert a = alert(alarm, kind, "OK", "ALARM", time);
        a.notification = "raised";
        a.severity = "warning";
        return a;
    }

    private static Alert escalated(String alarm, String kind, long time) {
        Alert a = alert(alarm, kind, "ALARM", "ALARM", time);
        a.notification = "escalated";
        a.severity = "critical";
        return a;
    }

    private static Alert resolved(String alarm, String kind, long time) {
        Alert a = alert(alarm, kind, "ALARM", "OK", time);
        a.notification = "resolved";
        return a;
    }

    private static Alert withModel(Alert a, String modelVersion) {
        a.dimensions.put("ModelVersion", modelVersion);
        a.modelVersion = modelVersion;
        return a;
    }

    private static Alert alert(
            String alarm, String kind, String previousState, String state, long time) {
        Alert a = new Alert();
        a.alarmName = alarm;
        a.kind = kind;
        a.previousState = previousState;
        a.state = state;
        a.time = time;
        a.value = 1;
        a.threshold = 0;
        a.reason = "reason of " + alarm;
        a.notification = "OK".equals(state) ? "data-back" : "no-data";
        return a;
    }
}
