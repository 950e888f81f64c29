package io.recsys.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.AlarmDefinition.Comparison;
import io.recsys.monitor.config.AlarmDefinition.LowSamplePercentiles;
import io.recsys.monitor.config.AlarmDefinition.Statistic;
import io.recsys.monitor.config.AlarmDefinition.TreatMissingData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmCatalogTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir Path dir;

    @Test
    void defaultsCarryTheGuidesFourAlarmsWithTheirExactParameters() {
        AlarmCatalog c = AlarmCatalog.defaults();
        AlarmDefinition errors = c.alarm("recommendation-api-high-error-rate");
        assertThat(errors.metric()).isEqualTo("Errors");
        assertThat(errors.statistic()).isEqualTo(Statistic.SUM);
        assertThat(errors.comparison()).isEqualTo(Comparison.GREATER_THAN);
        assertThat(errors.criticalThreshold()).isEqualTo(10.0);
        assertThat(errors.periodMillis()).isEqualTo(MINUTE);
        assertThat(errors.evaluationPeriods()).isEqualTo(2);
        assertThat(errors.treatMissingData()).isEqualTo(TreatMissingData.NOT_BREACHING);
        assertThat(errors.route()).isEqualTo("critical");

        AlarmDefinition latency = c.alarm("recommendation-api-high-latency");
        assertThat(latency.metric()).isEqualTo("LatencyP99");
        assertThat(latency.criticalThreshold()).isEqualTo(1000.0);
        assertThat(latency.periodMillis()).isEqualTo(MINUTE);
        assertThat(latency.evaluationPeriods()).isEqualTo(3);
        assertThat(latency.route()).isEqualTo("warning");

        AlarmDefinition drift = c.alarm("recommendation-model-drift-detected");
        assertThat(drift.metric()).isEqualTo("FeatureDrift");
        assertThat(drift.statistic()).isEqualTo(Statistic.AVERAGE);
        assertThat(drift.warningThreshold()).isEqualTo(0.2);
        assertThat(drift.periodMillis()).isEqualTo(HOUR);
        assertThat(drift.evaluationPeriods()).isEqualTo(1);
        assertThat(drift.action()).isEqualTo("trigger_retraining");

        AlarmDefinition ctr = c.alarm("recommendation-low-ctr");
        assertThat(ctr.comparison()).isEqualTo(Comparison.LESS_THAN);
        assertThat(ctr.criticalThreshold()).isEqualTo(2.0);
        assertThat(ctr.warningThreshold()).isEqualTo(2.5);
        assertThat(ctr.periodMillis()).isEqualTo(HOUR);
        assertThat(ctr.evaluationPeriods()).isEqualTo(3);
        assertThat(ctr.datapointsToAlarm()).isEqualTo(3);

        assertThat(c.alarm("recommendation-ctr-drop").isRelative()).isTrue();
        assertThat(c.composites())
                .extracting(CompositeAlarmDefinition::name)
                .containsExactly("recommendation-model-degradation");
        assertThat(c.inhibitions())
                .extracting(InhibitionRule::name)
                .containsExactly("prediction-outage", "feedback-outage");
        InhibitionRule feedback = c.inhibitions().get(1);
        assertThat(
                        feedback.isSource(
                                "recommendation-event-volume-low", Map.of("Stream", "feedback")))
                .isTrue();
        assertThat(
                        feedback.isSource(
                                "recommendation-event-volume-low", Map.of("Stream", "predictions")))
                .isFalse();
        assertThat(feedback.targets()).doesNotContain("recommendation-model-drift-detected");
    }

    @Test
    void everyKpiRowHasAWarningAndACriticalLevel() {
        for (String name :
                List.of(
                        "recommendation-api-latency-p50",
                        "recommendation-api-latency-p95",
                        "recommendation-api-high-latency",
                        "recommendation-api-error-rate",
                        "recommendation-api-availability",
                        "recommendation-low-ctr",
                        "recommendation-low-conversion-rate",
                        "recommendation-low-average-order-value",
                        "recommendation-low-coverage",
                        "recommendation-low-diversity",
                        "recommendation-model-drift-detected",
                        "recommendation-data-freshness",
                        "recommendation-event-volume-low")) {
            AlarmDefinition d = AlarmCatalog.defaults().alarm(name);
            assertThat(d).as(name).isNotNull();
            assertThat(d.warningThreshold()).as(name).isNotNaN();
            assertThat(d.criticalThreshold()).as(name).isNotNaN();
        }
    }

    @Test
    void aYamlAlarmsListIsReadWholeAndMergedByName() throws Exception {
        Path file = dir.resolve("monitor.yaml");
        Files.write(
                file,
                String.join(
                                "\n",
                                "job:",
                                "  parallelism: 3",
                                "alarm-repeat-interval: 2h",
                                "alarms:",
                                "  - name: recommendation-low-ctr",
                                "    metric: CTR",
                                "    dimension-sets: ['', ModelVersion]",
                                "    comparison: LessThanThreshold",
                                "    warning-threshold: 3.0",
                                "    critical-threshold: 2.2",
                                "    period: 3600",
                                "    evaluation-periods: 4",
                                "    datapoints-to-alarm: 3",
                                "    treat-missing-data: breaching",
                                "    route: ml",
                                "  - name: recommendation-low-diversity",
                                "    enabled: false",
                                "  - name: team-novelty",
                                "    metric: Novelty",
                                "    comparison: '<'",
                                "    warning-threshold: 1.5",
                                "    period: 1h",
                                "alarm-inhibitions:",
                                "  - name: prediction-outage",
                                "    enabled: false",
                                "  - name: feedback-outage",
                                "    enabled: false",
                                "")
                        .getBytes(StandardCharsets.UTF_8));
        MonitorConfig config = new ConfigLoader().file(file).load();
        assertThat(config.get(Settings.PARALLELISM)).isEqualTo(3);
        AlarmCatalog c = config.alarmCatalog();
        AlarmDefinition ctr = c.alarm("recommendation-low-ctr");
        assertThat(ctr.warningThreshold()).isEqualTo(3.0);
        assertThat(ctr.evaluationPeriods()).isEqualTo(4);
        assertThat(ctr.datapointsToAlarm()).isEqualTo(3);
        assertThat(ctr.treatMissingData()).isEqualTo(TreatMissingData.BREACHING);
        assertThat(c.alarm("recommendation-low-diversity")).isNull();
        assertThat(c.alarm("team-novelty").comparison()).isEqualTo(Comparison.LESS_THAN);
        assertThat(c.inhibitions()).isEmpty();
        assertThat(c.alarm("recommendation-api-high-latency")).isNotNull();
    }

    @Test
    void theSameListWorksAsJsonInAnOverride() {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "alarms",
                                "[{\"name\":\"x\",\"metric\":\"CTR\",\"comparison\":\"<\",\"critical-threshold\":1}]"));
        assertThat(config.alarmCatalog().alarm("x").criticalThreshold()).isEqualTo(1.0);
    }

    @Test
    void confidenceAndLowSamplePercentilesAreReadWithTheirDefaults() {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "alarms",
                                "[{\"name\":\"x\",\"metric\":\"CTR\",\"comparison\":\"<\","
                                        + "\"critical-threshold\":1,\"confidence\":0.99},"
                                        + "{\"name\":\"y\",\"metric\":\"LatencyP99\","
                                        + "\"comparison\":\">\",\"critical-threshold\":1,"
                                        + "\"low-sample-percentiles\":\"evaluate\","
                                        + "\"confidence\":0}]"));
        AlarmDefinition x = config.alarmCatalog().alarm("x");
        assertThat(x.confidence()).isEqualTo(0.99);
        assertThat(x.usesIntervals()).isTrue();
        assertThat(x.lowSamplePercentiles()).isEqualTo(LowSamplePercentiles.IGNORE);
        AlarmDefinition y = config.alarmCatalog().alarm("y");
        assertThat(y.lowSamplePercentiles()).isEqualTo(LowSamplePercentiles.EVALUATE);
        assertThat(y.usesIntervals()).isFalse();
        assertThat(y.toBuilder().build()).isEqualTo(y);
        assertThat(y.toBuilder().confidence(0.95).build()).isNotEqualTo(y);
        AlarmDefinition defaults = AlarmCatalog.defaults().alarm("recommendation-low-ctr");
        assertThat(defaults.confidence()).isEqualTo(AlarmDefinition.DEFAULT_CONFIDENCE);
        assertThat(defaults.lowSamplePercentiles()).isEqualTo(LowSamplePercentiles.IGNORE);
        // A share of at most 60 windows cannot be shown above 99.5 %: compared by value.
        assertThat(AlarmCatalog.defaults().alarm("recommendation-api-availability").confidence())
                .isZero();
    }

    @Test
    void aConfidenceOutsideItsRangeOrAnUnknownLowSampleWordStops() {
        for (String bad : new String[] {"1", "0.3", "-0.5"}) {
            assertThatThrownBy(
                            () ->
                                    MonitorConfig.of(
                                                    Map.of(
                                                            "alarms",
                                                            "[{\"name\":\"x\",\"metric\":\"CTR\","
                                                                    + "\"comparison\":\"<\","
                                                                    + "\"critical-threshold\":1,"
                                                                    + "\"confidence\":"
                                                                    + bad
                                                                    + "}]"))
                                            .alarmCatalog())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Alarm 'x'")
                    .hasMessageContaining("confidence");
        }
        assertThatThrownBy(
                        () ->
                                MonitorConfig.of(
                                                Map.of(
                                                        "alarms",
                                                        "[{\"name\":\"x\",\"metric\":\"CTR\","
                                                                + "\"comparison\":\"<\","
                                                                + "\"critical-threshold\":1,"
                                                                + "\"low-sample-percentiles\":\"skip\"}]"))
                                        .alarmCatalog())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ignore or evaluate");
    }

    @Test
    void legacyLowCtrKeysStillOverrideTheDefinition() {
        MonitorConfig config = MonitorConfig.of(Map.of("alarms.low-ctr.critical-threshold", "1.5"));
        assertThat(config.lowCtrAlarm().criticalThreshold()).isEqualTo(1.5);
        assertThat(config.lowCtrAlarm().warningThreshold()).isEqualTo(2.5);
    }

    @Test
    void hysteresisAndFlapFieldsHaveDefaultsAndOverrides() {
        AlarmCatalog catalog =
                AlarmCatalog.fromConfig(
                        "[{name: plain, metric: CTR, comparison: '<', critical-threshold: 1,"
                                + " period: 60s, evaluation-periods: 5, datapoints-to-alarm: 3},"
                                + " {name: tuned, metric: CTR, comparison: '<', critical-threshold: 1,"
                                + " period: 60s, ok-periods: 7, flap-transitions: 6, flap-span: 2h}]",
                        "");
        AlarmDefinition plain = catalog.alarm("plain");
        // ok-periods defaults to N; the flap span to 4 x (M + ok-periods) periods.
        assertThat(plain.okPeriods()).isEqualTo(5);
        assertThat(plain.flapTransitions()).isEqualTo(4);
        assertThat(plain.flapSpanMillis()).isEqualTo(4 * (3 + 5) * MINUTE);
        AlarmDefinition tuned = catalog.alarm("tuned");
        assertThat(tuned.okPeriods()).isEqualTo(7);
        assertThat(tuned.flapTransitions()).isEqualTo(6);
        assertThat(tuned.flapSpanMillis()).isEqualTo(2 * HOUR);
        // The guide's Errors alarm resolves after 10 quiet minutes (default-alarms.yaml says why).
        AlarmDefinition errors =
                AlarmCatalog.defaults().alarm("recommendation-api-high-error-rate");
        assertThat(errors.okPeriods()).isEqualTo(10);
        assertThat(errors.flapSpanMillis()).isEqualTo(4 * (2 + 10) * MINUTE);
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', critical-threshold: 1, ok-periods: 0}]",
                                        ""))
                .hasMessageContaining("Alarm 'a': ok-periods must be between 1 and 10000");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', critical-threshold: 1, flap-transitions: 101}]",
                                        ""))
                .hasMessageContaining("Alarm 'a': flap-transitions must be between 0");
    }

    @Test
    void impossibleMOfNStopsWithTheAlarmsName() {
        assertThatThrownBy(
                        () ->
                                MonitorConfig.of(
                                        Map.of(
                                                "alarms",
                                                "[{name: bad-one, metric: CTR, comparison: '<', critical-threshold: 1,"
                                                        + " evaluation-periods: 2, datapoints-to-alarm: 3}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Alarm 'bad-one'")
                .hasMessageContaining(
                        "datapoints to alarm (3) must be between 1 and the evaluation periods (2)");
    }

    @Test
    void wrongDefinitionsStopWithAMessageNamingThem() {
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', critical-threshold: 1, colour: red}]",
                                        ""))
                .hasMessageContaining("Alarm 'a': unknown field 'colour'");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', warning-threshold: 1, critical-threshold: 2}]",
                                        ""))
                .hasMessageContaining(
                        "Alarm 'a': the critical threshold (2.0) must be at least as bad");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', critical-threshold: 1, treat-missing-data: zero}]",
                                        ""))
                .hasMessageContaining("Alarm 'a'")
                .hasMessageContaining("missing, notBreaching, breaching or ignore");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: c, rule: 'ALARM(\"nope\") AND ALARM(\"recommendation-low-ctr\")'}]",
                                        ""))
                .hasMessageContaining("Composite alarm 'c': its rule names 'nope'");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: c, rule: 'ALARM(\"recommendation-low-ctr\") AND'}]",
                                        ""))
                .hasMessageContaining("Composite alarm 'c'");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "",
                                        "[{name: i, sources: [nope], targets: [recommendation-low-ctr]}]"))
                .hasMessageContaining("Inhibition 'i': source 'nope' is not an alarm");
        assertThatThrownBy(
                        () ->
                                AlarmCatalog.fromConfig(
                                        "[{name: a, metric: CTR, comparison: '<', critical-threshold: 1, priority: {critical: P7}}]",
                                        ""))
                .hasMessageContaining("Alarm 'a': priority 'P7'");
    }

    @Test
    void alarmRuleFollowsCloudWatchSyntaxAndPrecedence() {
        AlarmRule r = AlarmRule.parse("ALARM(\"a\") OR ALARM(b) AND NOT OK(\"c\")");
        assertThat(r.alarms()).containsExactly("a", "b", "c");
        // AND binds tighter than OR: a OR (b AND NOT c).
        assertThat(r.holds((n, s) -> n.equals("a") && s.equals("ALARM"))).isTrue();
        assertThat(r.holds((n, s) -> n.equals("b") && s.equals("ALARM"))).isTrue();
        assertThat(
                        r.holds(
                                (n, s) ->
                                        (n.equals("b") && s.equals("ALARM"))
                                                || (n.equals("c") && s.equals("OK"))))
                .isFalse();
        assertThat(AlarmRule.parse("(TRUE)").holds((n, s) -> false)).isTrue();
        assertThatThrownBy(() -> AlarmRule.parse("ALARM(a) XOR ALARM(b)"))
                .hasMessageContaining("position 9");
    }
}
