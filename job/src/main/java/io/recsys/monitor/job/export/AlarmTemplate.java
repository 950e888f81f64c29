package io.recsys.monitor.job.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.CompositeAlarmDefinition;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.operators.alarm.MetricEvidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alarm definitions of the engine as a CloudFormation template, for a team that prefers
 * CloudWatch to evaluate them: one {@code AWS::CloudWatch::Alarm} per alarm, severity and series
 * (named {@code <alarm>[-<dimension values>]-<severity>}) with the same statistic, period,
 * evaluation periods, datapoints to alarm, threshold, comparison and treatment of missing data, and
 * one {@code AWS::CloudWatch::CompositeAlarm} per composite and model version.
 *
 * <p>CloudWatch alarms watch one series each, so the engine's "every series of this dimension set"
 * becomes one alarm per known dimension value ({@code dimensionValues}, e.g. the model versions).
 * What CloudWatch cannot express the same way is listed under {@code Metadata.NotExported} with the
 * reason, never approximated: thresholds relative to a trailing mean (no metric math equivalent an
 * alarm accepts), dimension sets whose values are not known, and composites over either. A seasonal
 * threshold becomes an anomaly-detection alarm: {@code ANOMALY_DETECTION_BAND(m1, width)} metric
 * math as the {@code ThresholdMetricId}, the width the threshold's number of standard deviations,
 * {@code LessThanLowerThreshold} or {@code GreaterThanUpperThreshold}. CloudWatch trains its own
 * model of the metric's daily and weekly pattern, so the band is the same kind as the engine's
 * (median and robust deviation of the same hour), not the same numbers. Actions go to three topic
 * parameters by the alarm's route.
 *
 * <p>Percentile alarms carry {@code EvaluateLowSampleCountPercentile} from the alarm's {@code
 * low-sample-percentiles}, but CloudWatch cannot honour it on the job's pre-computed LatencyP99
 * series (one datapoint per period, the request count unknown to the alarm): only the in-job engine
 * leaves thin periods out. Neither can CloudWatch judge a period by a confidence interval; the
 * exported ratio and mean alarms compare the value alone.
 */
public final class AlarmTemplate {
    private static final Pattern RULE_ATOM =
            Pattern.compile("(ALARM|OK|INSUFFICIENT_DATA)\\(\\s*\"?([^\")]+)\"?\\s*\\)");

    private final AlarmCatalog catalog;
    private final String namespace;
    private final Map<String, List<String>> dimensionValues;
    private final ObjectMapper json = new ObjectMapper();

    public AlarmTemplate(
            AlarmCatalog catalog, String namespace, Map<String, List<String>> dimensionValues) {
        this.catalog = catalog;
        this.namespace = namespace;
        this.dimensionValues = new TreeMap<>(dimensionValues);
    }

    /** The CloudWatch name of one severity of one series of an alarm. */
    public static String alarmName(AlarmDefinition d, Map<String, String> dims, String severity) {
        StringBuilder sb = new StringBuilder(d.name());
        for (String v : dims.values()) {
            sb.append('-').append(v);
        }
        return sb.append('-').append(severity).toString();
    }

    /** The template as a JSON tree. */
    public ObjectNode build() {
        ObjectNode root = json.createObjectNode();
        root.put("AWSTemplateFormatVersion", "2010-09-09");
        root.put(
                "Description",
                "CloudWatch alarms of recsys-monitor, exported from the same alarm definitions the"
                        + " job evaluates (bin/recsys-monitor export).");
        ObjectNode params = root.putObject("Parameters");
        for (String p : Arrays.asList("CriticalTopicArn", "WarningTopicArn", "MlTopicArn")) {
            params.putObject(p).put("Type", "String").put("Description", "SNS topic ARN");
        }
        ObjectNode resources = root.putObject("Resources");
        ArrayNode notExported = root.putObject("Metadata").putArray("NotExported");
        for (AlarmDefinition d : catalog.alarms()) {
            if (!isExportable(d)) {
                skip(
                        notExported,
                        d.name(),
                        "relative threshold (change against a trailing mean)"
                                + " has no CloudWatch alarm equivalent");
                continue;
            }
            for (String set : d.dimensionSets()) {
                List<Map<String, String>> series = series(d, set);
                if (series == null) {
                    skip(
                            notExported,
                            d.name(),
                            "dimension set '"
                                    + set
                                    + "' has no known values; pass --dimension NAME=VALUES");
                    continue;
                }
                for (Map<String, String> dims : series) {
                    for (String severity : Arrays.asList("warning", "critical")) {
                        if (!Double.isNaN(d.threshold(severity))) {
                            resources.set(
                                    logicalId(alarmName(d, dims, severity)),
                                    metricAlarm(d, dims, severity));
                        }
                    }
                }
            }
        }
        for (CompositeAlarmDefinition c : catalog.composites()) {
            compositeAlarms(c, resources, notExported);
        }
        return root;
    }

    /**
     * Absolute and seasonal thresholds have a CloudWatch alarm; a trailing-mean change has none.
     */
    static boolean isExportable(AlarmDefinition d) {
        return !d.isRelative() || d.isSeasonal();
    }

    /** The CloudWatch comparison of a seasonal alarm: below or above its band. */
    static String bandComparison(AlarmDefinition d) {
        return d.comparison().lowerIsWorse()
                ? "LessThanLowerThreshold"
                : "GreaterThanUpperThreshold";
    }

    private static void skip(ArrayNode notExported, String alarm, String reason) {
        notExported.addObject().put("alarm", alarm).put("reason", reason);
    }

    /** The series of one dimension set (filter values fixed), or null when a value is unknown. */
    private List<Map<String, String>> series(AlarmDefinition d, String set) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new TreeMap<>());
        if (set.isEmpty()) {
            return out;
        }
        for (String name : set.split(",")) {
            List<String> values =
                    d.dimensionFilter().containsKey(name)
                            ? Collections.singletonList(d.dimensionFilter().get(name))
                            : dimensionValues.get(name);
            if (values == null || values.isEmpty()) {
                return null;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : values) {
                    Map<String, String> m = new TreeMap<>(partial);
                    m.put(name, v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private ObjectNode metricAlarm(AlarmDefinition d, Map<String, String> dims, String severity) {
        ObjectNode r = json.createObjectNode();
        r.put("Type", "AWS::CloudWatch::Alarm");
        r.putObject("Metadata")
                .putObject("RecsysMonitor")
                .put("alarm", d.name())
                .put("severity", severity)
                .put("priority", d.priority(severity))
                .put("action", d.actionAt(severity))
                .put("kind", d.kind());
        ObjectNode p = r.putObject("Properties");
        p.put("AlarmName", alarmName(d, dims, severity));
        p.put(
                "AlarmDescription",
                d.description(severity) + " (" + severity + ", " + d.priority(severity) + ")");
        if (d.isSeasonal()) {
            bandMetrics(d, dims, severity, p);
        } else {
            p.put("Namespace", namespace);
            p.put("MetricName", d.metric());
            dimensions(p, dims);
            p.put("Statistic", d.statistic().cloudWatchName());
            p.put("Period", d.periodMillis() / 1000);
            p.put("Threshold", d.threshold(severity));
            p.put("ComparisonOperator", d.comparison().cloudWatchName());
        }
        p.put("EvaluationPeriods", d.evaluationPeriods());
        p.put("DatapointsToAlarm", d.datapointsToAlarm());
        p.put("TreatMissingData", d.treatMissingData().cloudWatchName());
        if (MetricEvidence.of(d.metric()).kind() == MetricEvidence.Kind.PERCENTILE) {
            // Carried for the record: CloudWatch applies it to ExtendedStatistic percentiles only,
            // and sees one pre-computed datapoint per period here (docs/operations.md).
            p.put("EvaluateLowSampleCountPercentile", d.lowSamplePercentiles().cloudWatchName());
        }
        String topic = topicParameter(d.routeAt(severity));
        p.putArray("AlarmActions").addObject().put("Ref", topic);
        p.putArray("OKActions").addObject().put("Ref", topic);
        return r;
    }

    private static void dimensions(ObjectNode parent, Map<String, String> dims) {
        ArrayNode dimensions = parent.putArray("Dimensions");
        for (Map.Entry<String, String> e : dims.entrySet()) {
            dimensions.addObject().put("Name", e.getKey()).put("Value", e.getValue());
        }
    }

    /**
     * The metric and its anomaly-detection band as metric math: m1 the series, band the {@code
     * ANOMALY_DETECTION_BAND} of m1 as wide as the threshold's standard deviations, the alarm's
     * threshold.
     */
    private void bandMetrics(
            AlarmDefinition d, Map<String, String> dims, String severity, ObjectNode p) {
        ArrayNode metrics = p.putArray("Metrics");
        ObjectNode m1 = metrics.addObject();
        m1.put("Id", "m1");
        m1.put("ReturnData", true);
        ObjectNode stat = m1.putObject("MetricStat");
        ObjectNode metric = stat.putObject("Metric");
        metric.put("Namespace", namespace);
        metric.put("MetricName", d.metric());
        dimensions(metric, dims);
        stat.put("Period", d.periodMillis() / 1000);
        stat.put("Stat", d.statistic().cloudWatchName());
        double width = Math.abs(d.threshold(severity));
        ObjectNode band = metrics.addObject();
        band.put("Id", "band");
        band.put("Expression", "ANOMALY_DETECTION_BAND(m1, " + plain(width) + ")");
        band.put("Label", d.metric() + " (expected, " + plain(width) + " standard deviations)");
        band.put("ReturnData", true);
        p.put("ThresholdMetricId", "band");
        p.put("ComparisonOperator", bandComparison(d));
    }

    /** 4 for 4.0, 2.5 for 2.5: as metric math writes a number. */
    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void compositeAlarms(
            CompositeAlarmDefinition c, ObjectNode resources, ArrayNode notExported) {
        List<String> scopes = new ArrayList<>();
        boolean perVersion = false;
        for (String child : c.rule().alarms()) {
            AlarmDefinition d = catalog.alarm(child);
            if (d == null) {
                skip(
                        notExported,
                        c.name(),
                        "composite over composite '" + child + "' is not exported");
                return;
            }
            if (!isExportable(d)) {
                skip(
                        notExported,
                        c.name(),
                        "its rule names '" + child + "', which has a relative threshold");
                return;
            }
            perVersion |= d.dimensionSets().contains(MetricNames.MODEL_VERSION);
        }
        if (perVersion) {
            List<String> versions = dimensionValues.get(MetricNames.MODEL_VERSION);
            if (versions == null || versions.isEmpty()) {
                skip(
                        notExported,
                        c.name(),
                        "no model versions known; pass --dimension ModelVersion=...");
                return;
            }
            scopes.addAll(versions);
        } else {
            scopes.add("");
        }
        for (String scope : scopes) {
            Map<String, String> dims = new TreeMap<>();
            if (!scope.isEmpty()) {
                dims.put(MetricNames.MODEL_VERSION, scope);
            }
            Matcher m = RULE_ATOM.matcher(c.rule().text());
            StringBuffer rule = new StringBuffer();
            List<String> dependsOn = new ArrayList<>();
            while (m.find()) {
                AlarmDefinition d = catalog.alarm(m.group(2).trim());
                Map<String, String> childDims =
                        d.dimensionSets().contains(MetricNames.MODEL_VERSION)
                                ? dims
                                : new TreeMap<>();
                // ALARM at either severity is ALARM of the warning level, which the critical
                // level implies (same M of N, a stricter threshold).
                String severity = Double.isNaN(d.warningThreshold()) ? "critical" : "warning";
                String child = alarmName(d, childDims, severity);
                dependsOn.add(logicalId(child));
                m.appendReplacement(
                        rule, Matcher.quoteReplacement(m.group(1) + "(\"" + child + "\")"));
            }
            m.appendTail(rule);
            ObjectNode r = json.createObjectNode();
            r.put("Type", "AWS::CloudWatch::CompositeAlarm");
            ArrayNode deps = r.putArray("DependsOn");
            dependsOn.forEach(deps::add);
            r.putObject("Metadata")
                    .putObject("RecsysMonitor")
                    .put("alarm", c.name())
                    .put("severity", c.severity())
                    .put("priority", c.priority())
                    .put("action", c.action())
                    .put("kind", c.kind());
            ObjectNode p = r.putObject("Properties");
            String name = c.name() + (scope.isEmpty() ? "" : "-" + scope);
            p.put("AlarmName", name);
            p.put(
                    "AlarmDescription",
                    c.description() + " (" + c.severity() + ", " + c.priority() + ")");
            p.put("AlarmRule", rule.toString());
            String topic =
                    topicParameter("by-severity".equals(c.route()) ? c.severity() : c.route());
            p.putArray("AlarmActions").addObject().put("Ref", topic);
            p.putArray("OKActions").addObject().put("Ref", topic);
            resources.set(logicalId(name), r);
        }
    }

    private static String topicParameter(String route) {
        switch (route) {
            case "critical":
                return "CriticalTopicArn";
            case "ml":
                return "MlTopicArn";
            default:
                return "WarningTopicArn";
        }
    }

    /**
     * CloudFormation logical ids are alphanumeric: {@code recommendation-low-ctr-v1} ->
     * RecommendationLowCtrV1.
     */
    public static String logicalId(String name) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return sb.toString();
    }

    /** Known dimension values from {@code NAME=V1,V2} texts, on top of {@code defaults}. */
    public static Map<String, List<String>> dimensionValues(
            Map<String, List<String>> defaults, List<String> assignments) {
        Map<String, List<String>> out = new LinkedHashMap<>(defaults);
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "Invalid --dimension '" + a + "': expected NAME=VALUE[,VALUE...]");
            }
            List<String> values = new ArrayList<>();
            for (String v : a.substring(eq + 1).split(",")) {
                if (!v.trim().isEmpty()) {
                    values.add(v.trim());
                }
            }
            out.put(a.substring(0, eq).trim(), values);
        }
        return out;
    }
}
