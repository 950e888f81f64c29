package io.recsys.monitor.job.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.CompositeAlarmDefinition;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.RecsysMonitor;
import io.recsys.monitor.job.cli.ExportCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported template against the engine's configuration: every alarm, severity and known series
 * is there with the engine's statistic, period, M of N, threshold, comparison and missing-data
 * treatment, or listed as not exportable with a reason; nothing else is there.
 */
class AlarmTemplateTest {
    @TempDir Path dir;

    @Test
    void exportedTemplateMatchesTheEngineConfiguration() throws Exception {
        Path template = dir.resolve("alarms.json");
        Path dashboards = dir.resolve("dashboards");
        int exit =
                RecsysMonitor.commandLine()
                        .execute(
                                "export",
                                "--alarms",
                                template.toString(),
                                "--dashboards",
                                dashboards.toString());
        assertThat(exit).isZero();

        MonitorConfig config = MonitorConfig.defaults();
        Map<String, List<String>> values = ExportCommand.dimensionValues(config, List.of());
        JsonNode root = new ObjectMapper().readTree(template.toFile());
        JsonNode resources = root.get("Resources");

        Set<String> expectedNames = new HashSet<>();
        Set<String> notExported = new HashSet<>();
        root.get("Metadata")
                .get("NotExported")
                .forEach(n -> notExported.add(n.get("alarm").asText()));
        // Every alarm has a CloudWatch alarm: the seasonal one an anomaly-detection alarm.
        assertThat(notExported).isEmpty();
        for (AlarmDefinition d : config.alarmCatalog().alarms()) {
            for (String set : d.dimensionSets()) {
                for (Map<String, String> dims : series(set, values)) {
                    for (String severity : List.of("warning", "critical")) {
                        if (Double.isNaN(d.threshold(severity))) {
                            continue;
                        }
                        String name = AlarmTemplate.alarmName(d, dims, severity);
                        expectedNames.add(name);
                        JsonNode r = resources.get(AlarmTemplate.logicalId(name));
                        assertThat(r).as(name).isNotNull();
                        assertThat(r.get("Type").asText()).isEqualTo("AWS::CloudWatch::Alarm");
                        JsonNode p = r.get("Properties");
                        assertThat(p.get("AlarmName").asText()).isEqualTo(name);
                        // A seasonal alarm's metric is m1 of its metric math; its threshold the
                        // anomaly-detection band.
                        JsonNode metric = p;
                        JsonNode stat = p;
                        if (d.isSeasonal()) {
                            JsonNode metrics = p.get("Metrics");
                            assertThat(metrics).hasSize(2);
                            stat = metrics.get(0).get("MetricStat");
                            metric = stat.get("Metric");
                            assertThat(metrics.get(1).get("Expression").asText())
                                    .isEqualTo(
                                            "ANOMALY_DETECTION_BAND(m1, "
                                                    + (long) Math.abs(d.threshold(severity))
                                                    + ")");
                            assertThat(p.get("ThresholdMetricId").asText())
                                    .isEqualTo(metrics.get(1).get("Id").asText());
                            assertThat(p.get("ComparisonOperator").asText())
                                    .isEqualTo("LessThanLowerThreshold");
                            assertThat(p.has("Threshold")).isFalse();
                            assertThat(stat.get("Stat").asText())
                                    .isEqualTo(d.statistic().cloudWatchName());
                        } else {
                            assertThat(p.get("Statistic").asText())
                                    .isEqualTo(d.statistic().cloudWatchName());
                            assertThat(p.get("Threshold").asDouble())
                                    .isEqualTo(d.threshold(severity));
                            assertThat(p.get("ComparisonOperator").asText())
                                    .isEqualTo(d.comparison().cloudWatchName());
                        }
                        assertThat(metric.get("Namespace").asText())
                                .isEqualTo("RecommendationSystem");
                        assertThat(metric.get("MetricName").asText()).isEqualTo(d.metric());
                        assertThat(stat.get("Period").asLong() * 1000).isEqualTo(d.periodMillis());
                        assertThat(p.get("EvaluationPeriods").asInt())
                                .isEqualTo(d.evaluationPeriods());
                        assertThat(p.get("DatapointsToAlarm").asInt())
                                .isEqualTo(d.datapointsToAlarm());
                        assertThat(p.get("TreatMissingData").asText())
                                .isEqualTo(d.treatMissingData().cloudWatchName());
                        if (d.metric().startsWith("LatencyP")) {
                            assertThat(p.get("EvaluateLowSampleCountPercentile").asText())
                                    .as(name)
                                    .isEqualTo("ignore");
                        } else {
                            assertThat(p.has("EvaluateLowSampleCountPercentile"))
                                    .as(name)
                                    .isFalse();
                        }
                        Map<String, String> exportedDims = new HashMap<>();
                        metric.get("Dimensions")
                                .forEach(
                                        x ->
                                                exportedDims.put(
                                                        x.get("Name").asText(),
                                                        x.get("Value").asText()));
                        assertThat(exportedDims).isEqualTo(dims);
                        assertThat(r.get("Metadata").get("RecsysMonitor").get("priority").asText())
                                .isEqualTo(d.priority(severity));
                    }
                }
            }
        }
        for (CompositeAlarmDefinition c : config.alarmCatalog().composites()) {
            // The default composite (drift and the seasonal CTR drop): one per model version.
            for (String version : values.get("ModelVersion")) {
                String name = c.name() + "-" + version;
                expectedNames.add(name);
                JsonNode r = resources.get(AlarmTemplate.logicalId(name));
                assertThat(r).as(name).isNotNull();
                assertThat(r.get("Properties").get("AlarmRule").asText())
                        .contains("ALARM(\"recommendation-ctr-drop-" + version + "-warning\")");
            }
        }
        List<String> extra = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            String name = it.next().getValue().get("Properties").get("AlarmName").asText();
            if (!expectedNames.contains(name)) {
                extra.add(name);
            }
        }
        assertThat(extra).isEmpty();
        // The guide's four alarms are there under their own names.
        assertThat(resources.has("RecommendationApiHighErrorRateCritical")).isTrue();
        assertThat(resources.has("RecommendationApiHighLatencyCritical")).isTrue();
        assertThat(resources.has("RecommendationModelDriftDetectedV1Warning")).isTrue();
        assertThat(resources.has("RecommendationLowCtrCritical")).isTrue();
        // Each severity's description quotes its own threshold, not the other one.
        assertThat(description(resources, "RecommendationApiHighLatencyWarning"))
                .isEqualTo("API p99 latency above 800 ms (warning, P3)");
        assertThat(description(resources, "RecommendationApiHighLatencyCritical"))
                .isEqualTo("API p99 latency above 1000 ms (critical, P2)");
        assertThat(description(resources, "RecommendationLowCtrWarning"))
                .isEqualTo("Click-through rate below 2.5% (warning, P3)");
        resources.forEach(
                r ->
                        assertThat(r.get("Properties").get("AlarmDescription").asText())
                                .doesNotContain(AlarmDefinition.THRESHOLD_PLACEHOLDER));

        JsonNode ops =
                new ObjectMapper()
                        .readTree(dashboards.resolve("recsys-monitor-operations.json").toFile());
        JsonNode ml =
                new ObjectMapper()
                        .readTree(
                                dashboards
                                        .resolve("recsys-monitor-ml-model-performance.json")
                                        .toFile());
        assertThat(ops.get("widgets").get(0).get("properties").get("title").asText())
                .isEqualTo("API Latency (p50, p95, p99)");
        assertThat(ml.get("widgets").get(0).get("properties").get("metrics").get(0).get(1).asText())
                .isEqualTo("CTR");
        assertThat(ml.toString()).contains("\"value\":2.5").contains("\"value\":2.0");
        // The errors widget plots the total the high-error-rate alarm watches, then each type.
        JsonNode errors = null;
        for (JsonNode w : ops.get("widgets")) {
            if (w.get("properties").get("title").asText().startsWith("Errors")) {
                errors = w.get("properties").get("metrics");
            }
        }
        assertThat(errors).isNotNull();
        assertThat(errors.get(0).size()).as("total: namespace, metric, options").isEqualTo(3);
        assertThat(errors.get(0).get(1).asText()).isEqualTo("Errors");
        assertThat(errors).hasSize(1 + values.get("ErrorType").size());
    }

    @Test
    void compositesOverAbsoluteAlarmsBecomeCompositeAlarmsPerModelVersion() throws Exception {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "alarms",
                                "[{name: degradation, rule: 'ALARM(\"recommendation-model-drift-detected\") AND"
                                        + " ALARM(\"recommendation-low-ctr\")', severity: critical, priority: P2, route: ml}]"));
        JsonNode root =
                new AlarmTemplate(
                                config.alarmCatalog(),
                                "RecommendationSystem",
                                ExportCommand.dimensionValues(config, List.of("ModelVersion=v1")))
                        .build();
        JsonNode c = root.get("Resources").get("DegradationV1");
        assertThat(c.get("Type").asText()).isEqualTo("AWS::CloudWatch::CompositeAlarm");
        assertThat(c.get("Properties").get("AlarmRule").asText())
                .isEqualTo(
                        "ALARM(\"recommendation-model-drift-detected-v1-warning\") AND"
                                + " ALARM(\"recommendation-low-ctr-v1-warning\")");
        for (JsonNode dep : c.get("DependsOn")) {
            assertThat(root.get("Resources").has(dep.asText())).as(dep.asText()).isTrue();
        }
    }

    private static List<Map<String, String>> series(String set, Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new java.util.TreeMap<>());
        if (set.isEmpty()) {
            return out;
        }
        for (String name : set.split(",")) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : values.get(name)) {
                    Map<String, String> m = new java.util.TreeMap<>(partial);
                    m.put(name, v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static String description(JsonNode resources, String logicalId) {
        return resources.get(logicalId).get("Properties").get("AlarmDescription").asText();
    }
}
