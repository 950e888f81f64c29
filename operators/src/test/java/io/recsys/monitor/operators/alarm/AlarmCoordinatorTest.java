package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.model.Alert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Inhibition, composites and what counts as news, on the default catalog, without Flink. */
class AlarmCoordinatorTest {
    private static final long HOUR = 3_600_000L;

    private final AlarmCoordinator coordinator = new AlarmCoordinator(AlarmCatalog.defaults());
    private final IncidentState state = new IncidentState();

    private static Alert transition(
            String alarm,
            String metric,
            Map<String, String> dims,
            String from,
            String to,
            String severity,
            long hour) {
        Alert a = new Alert();
        a.alarmName = alarm;
        a.metric = metric;
        a.dimensions = new TreeMap<>(dims);
        a.previousState = from;
        a.state = to;
        a.severity = severity;
        a.notification = "ALARM".equals(to) ? "raised" : "OK".equals(to) ? "resolved" : "no-data";
        a.time = hour * HOUR;
        a.reason = alarm + " " + to;
        a.deduplicationKey = AlarmEvaluator.deduplicationKey(alarm, metric, dims);
        return a;
    }

    private List<String> at(long hour, Alert... transitions) {
        List<String> out = new ArrayList<>();
        for (Alert a : coordinator.process(state, Arrays.asList(transitions), hour * HOUR)) {
            out.add(
                    a.alarmName
                            + " "
                            + a.dimensions
                            + " "
                            + a.state
                            + "/"
                            + a.severity
                            + (a.heldBackBy == null ? "" : " held:" + a.heldBackBy));
        }
        return out;
    }

    private static final Map<String, String> V1 = Map.of("ModelVersion", "v1");
    private static final Map<String, String> PREDICTIONS = Map.of("Stream", "predictions");

    @Test
    void quietChangesAreNotPublishedButNewsIs() {
        assertThat(
                        at(
                                1,
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "INSUFFICIENT_DATA",
                                        "OK",
                                        null,
                                        1)))
                .isEmpty();
        assertThat(
                        at(
                                2,
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        2)))
                .containsExactly("recommendation-low-ctr {ModelVersion=v1} ALARM/warning");
        assertThat(
                        at(
                                3,
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "ALARM",
                                        "OK",
                                        "warning",
                                        3)))
                .containsExactly("recommendation-low-ctr {ModelVersion=v1} OK/warning");
        assertThat(
                        at(
                                4,
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "OK",
                                        "INSUFFICIENT_DATA",
                                        "warning",
                                        4)))
                .isEmpty();
    }

    @Test
    void anOutageHoldsBackDownstreamAlarmsAndReleasesThemWithANote() {
        // Volume critical and low CTR in the same period: only the outage is published.
        assertThat(
                        at(
                                5,
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "critical",
                                        5),
                                transition(
                                        "recommendation-event-volume-low",
                                        "EventVolume",
                                        PREDICTIONS,
                                        "OK",
                                        "ALARM",
                                        "critical",
                                        5)))
                .containsExactly(
                        "recommendation-event-volume-low {Stream=predictions} ALARM/critical");
        // A warning-level volume alarm does not inhibit (rule: critical), the outage is still on.
        assertThat(
                        at(
                                6,
                                transition(
                                        "recommendation-model-drift-detected",
                                        "FeatureDrift",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        6)))
                .isEmpty();
        // Drift resolves during the outage: back to what people knew, nothing to say later.
        assertThat(
                        at(
                                7,
                                transition(
                                        "recommendation-model-drift-detected",
                                        "FeatureDrift",
                                        V1,
                                        "ALARM",
                                        "OK",
                                        "warning",
                                        7)))
                .isEmpty();
        // The outage ends: the CTR alarm, still firing, is published once, saying it was held back.
        List<String> out =
                at(
                        8,
                        transition(
                                "recommendation-event-volume-low",
                                "EventVolume",
                                PREDICTIONS,
                                "ALARM",
                                "OK",
                                "critical",
                                8));
        assertThat(out)
                .containsExactly(
                        "recommendation-event-volume-low {Stream=predictions} OK/critical",
                        "recommendation-low-ctr {ModelVersion=v1} ALARM/critical held:prediction-outage");
        SeriesStatus ctr = state.series.get("recommendation-low-ctr/CTR{ModelVersion=v1}");
        assertThat(ctr.heldBackBy).isNull();
        assertThat(ctr.publishedState).isEqualTo("ALARM");
    }

    @Test
    void aFeedbackOutageHoldsBackCtrButNotDrift() {
        Map<String, String> feedback = Map.of("Stream", "feedback");
        assertThat(
                        at(
                                1,
                                transition(
                                        "recommendation-event-volume-low",
                                        "EventVolume",
                                        feedback,
                                        "OK",
                                        "ALARM",
                                        "critical",
                                        1),
                                transition(
                                        "recommendation-low-ctr",
                                        "CTR",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "critical",
                                        1),
                                transition(
                                        "recommendation-model-drift-detected",
                                        "FeatureDrift",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        1)))
                .containsExactly(
                        "recommendation-event-volume-low {Stream=feedback} ALARM/critical",
                        "recommendation-model-drift-detected {ModelVersion=v1} ALARM/warning");
    }

    @Test
    void releasedAlertSaysFromWhenToWhen() {
        at(
                1,
                transition(
                        "recommendation-data-freshness",
                        "EventLagSeconds",
                        PREDICTIONS,
                        "OK",
                        "ALARM",
                        "critical",
                        1));
        at(2, transition("recommendation-low-ctr", "CTR", V1, "OK", "ALARM", "critical", 2));
        List<Alert> out =
                coordinator.process(
                        state,
                        List.of(
                                transition(
                                        "recommendation-data-freshness",
                                        "EventLagSeconds",
                                        PREDICTIONS,
                                        "ALARM",
                                        "OK",
                                        "critical",
                                        3)),
                        3 * HOUR);
        Alert released = out.get(1);
        assertThat(released.heldBackBy).isEqualTo("prediction-outage");
        assertThat(released.heldBackSince).isEqualTo(2 * HOUR);
        assertThat(released.previousState).isEqualTo("INSUFFICIENT_DATA");
        assertThat(released.reason)
                .contains(
                        "held back by inhibition 'prediction-outage' (recommendation-data-freshness) from 1970-01-01T02:00:00Z to 1970-01-01T03:00:00Z");
    }

    @Test
    void compositeModelDegradationNeedsDriftAndCtrDropOfTheSameVersion() {
        Map<String, String> v2 = Map.of("ModelVersion", "v2");
        assertThat(
                        at(
                                1,
                                transition(
                                        "recommendation-model-drift-detected",
                                        "FeatureDrift",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        1)))
                .containsExactly(
                        "recommendation-model-drift-detected {ModelVersion=v1} ALARM/warning");
        // CTR drop on another version: no degradation.
        assertThat(
                        at(
                                2,
                                transition(
                                        "recommendation-ctr-drop",
                                        "CTR",
                                        v2,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        2)))
                .containsExactly("recommendation-ctr-drop {ModelVersion=v2} ALARM/warning");
        // CTR drop on v1 too: the composite fires for v1 only.
        assertThat(
                        at(
                                3,
                                transition(
                                        "recommendation-ctr-drop",
                                        "CTR",
                                        V1,
                                        "OK",
                                        "ALARM",
                                        "warning",
                                        3)))
                .containsExactly(
                        "recommendation-ctr-drop {ModelVersion=v1} ALARM/warning",
                        "recommendation-model-degradation {ModelVersion=v1} ALARM/critical");
        Alert composite =
                state.series.get("recommendation-model-degradation/{ModelVersion=v1}").latest;
        assertThat(composite.priority).isEqualTo("P2");
        assertThat(composite.action).isEqualTo("trigger_retraining");
        assertThat(composite.runbook).isNotEmpty();
        // Drift resolves: so does the composite.
        assertThat(
                        at(
                                4,
                                transition(
                                        "recommendation-model-drift-detected",
                                        "FeatureDrift",
                                        V1,
                                        "ALARM",
                                        "OK",
                                        "warning",
                                        4)))
                .containsExactly(
                        "recommendation-model-drift-detected {ModelVersion=v1} OK/warning",
                        "recommendation-model-degradation {ModelVersion=v1} OK/critical");
    }

    @Test
    void aRepeatIsPublishedOnlyForAnAlarmPeopleWereToldAbout() {
        at(
                1,
                transition(
                        "recommendation-api-high-error-rate",
                        "Errors",
                        Map.of("ErrorType", "ModelTimeout"),
                        "OK",
                        "ALARM",
                        "critical",
                        1));
        Alert repeat =
                transition(
                        "recommendation-api-high-error-rate",
                        "Errors",
                        Map.of("ErrorType", "ModelTimeout"),
                        "ALARM",
                        "ALARM",
                        "critical",
                        5);
        repeat.notification = "repeat";
        assertThat(at(5, repeat)).hasSize(1);
        // A repeat of a held-back alarm stays held back.
        at(
                6,
                transition(
                        "recommendation-event-volume-low",
                        "EventVolume",
                        PREDICTIONS,
                        "OK",
                        "ALARM",
                        "critical",
                        6));
        at(7, transition("recommendation-low-ctr", "CTR", V1, "OK", "ALARM", "critical", 7));
        Alert ctrRepeat =
                transition("recommendation-low-ctr", "CTR", V1, "ALARM", "ALARM", "critical", 11);
        ctrRepeat.notification = "repeat";
        assertThat(at(11, ctrRepeat)).isEmpty();
    }

    @Test
    void aFlappingAlertIsNewsEvenInTheToldStateAndInhibitedLikeAnyOther() {
        Map<String, String> none = Map.of();
        at(
                1,
                transition(
                        "recommendation-api-high-error-rate",
                        "Errors",
                        none,
                        "OK",
                        "ALARM",
                        "critical",
                        1));
        // The series flaps while in ALARM, the state people were told: still published.
        Alert flapping =
                transition(
                        "recommendation-api-high-error-rate",
                        "Errors",
                        none,
                        "OK",
                        "ALARM",
                        "critical",
                        5);
        flapping.notification = "flapping";
        assertThat(at(5, flapping))
                .containsExactly("recommendation-api-high-error-rate {} ALARM/critical");
        // When it settles in OK, the resolve is news as usual.
        assertThat(
                        at(
                                9,
                                transition(
                                        "recommendation-api-high-error-rate",
                                        "Errors",
                                        none,
                                        "ALARM",
                                        "OK",
                                        "critical",
                                        9)))
                .containsExactly("recommendation-api-high-error-rate {} OK/critical");

        // A target of an active inhibition: its flapping alert is held back like any news.
        at(
                10,
                transition(
                        "recommendation-event-volume-low",
                        "EventVolume",
                        PREDICTIONS,
                        "OK",
                        "ALARM",
                        "critical",
                        10));
        Alert ctrFlapping =
                transition("recommendation-low-ctr", "CTR", V1, "OK", "ALARM", "warning", 11);
        ctrFlapping.notification = "flapping";
        assertThat(at(11, ctrFlapping)).isEmpty();
        // ... and told, with its note, when the outage ends.
        assertThat(
                        at(
                                12,
                                transition(
                                        "recommendation-event-volume-low",
                                        "EventVolume",
                                        PREDICTIONS,
                                        "ALARM",
                                        "OK",
                                        "critical",
                                        12)))
                .containsExactly(
                        "recommendation-event-volume-low {Stream=predictions} OK/critical",
                        "recommendation-low-ctr {ModelVersion=v1} ALARM/warning held:prediction-outage");
    }
}
