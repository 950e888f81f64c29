package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.Statistic;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An alert's summary and reason quote the threshold of its own severity: raised at the warning
 * level, the warning level; escalated, the critical one.
 */
class AlertTextTest {
    private static final long MINUTE = 60_000L;

    private static final AlarmDefinition ERRORS =
            AlarmDefinition.builder("recommendation-api-errors", "Errors")
                    .statistic(Statistic.SUM)
                    .comparison(Comparison.GREATER_THAN)
                    .warningThreshold(5)
                    .criticalThreshold(10)
                    .periodMillis(MINUTE)
                    .evaluationPeriods(1)
                    .datapointsToAlarm(1)
                    .route("warning")
                    .description("API errors above {threshold} per minute")
                    .dimensionSets(Collections.singletonList(""))
                    .build();

    /** One value a minute, each minute evaluated; the alerts that are news. */
    private static List<Alert> run(double... perMinute) {
        AlarmState state = AlarmEvaluator.initialState(ERRORS);
        Map<String, String> overall = Collections.emptyMap();
        List<Alert> alerts = new ArrayList<>();
        for (int m = 0; m < perMinute.length; m++) {
            long end = (m + 1) * MINUTE;
            AlarmEvaluator.record(
                    ERRORS,
                    state,
                    new MetricPoint(
                            "RecommendationSystem",
                            "Errors",
                            overall,
                            perMinute[m],
                            "Count",
                            end - MINUTE,
                            end));
            AlarmEvaluator.evaluate(ERRORS, state, m, Long.MAX_VALUE / 4, overall)
                    .filter(a -> !AlarmEvaluator.isQuiet(a.previousState, a.state))
                    .ifPresent(alerts::add);
        }
        return alerts;
    }

    @Test
    void aWarningQuotesTheWarningLevelAndAnEscalationTheCriticalOne() {
        List<Alert> alerts = run(1, 7, 12, 1);
        assertThat(alerts)
                .extracting(a -> a.notification)
                .containsExactly("raised", "escalated", "resolved");

        Alert warning = alerts.get(0);
        assertThat(warning.severity).isEqualTo("warning");
        assertThat(warning.summary).isEqualTo("API errors above 5 per minute");
        assertThat(warning.reason)
                .startsWith("API errors above 5 per minute: Sum of Errors > 5.0 in 1 of the last 1")
                .doesNotContain("10");

        Alert critical = alerts.get(1);
        assertThat(critical.severity).isEqualTo("critical");
        assertThat(critical.summary).isEqualTo("API errors above 10 per minute");
        assertThat(critical.reason)
                .startsWith(
                        "API errors above 10 per minute: Sum of Errors > 10.0 in 1 of the last 1");

        // Resolved: back under the lowest level, which its threshold and summary quote.
        Alert resolved = alerts.get(2);
        assertThat(resolved.threshold).isEqualTo(5.0);
        assertThat(resolved.summary).isEqualTo("API errors above 5 per minute");
        assertThat(resolved.reason).startsWith("Resolved: Sum of Errors breached > 5.0");
    }
}
