package io.recsys.monitor.job.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.model.MetricNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two CloudWatch dashboards of the operations guide, "Main Operations Dashboard" and "ML Model
 * Performance Dashboard", as dashboard-body JSON for the job's namespace and metric names (the
 * guide's widgets read AWS/ApiGateway, AWS/Lambda and AWS/SageMaker; the job measures the same
 * things from the prediction stream). Threshold annotations come from the alarm definitions, so the
 * lines on the graphs are the thresholds the alarms use.
 */
public final class CloudWatchDashboards {
    /** Dashboard name to its body. */
    public static final String OPERATIONS = "recsys-monitor-operations";

    public static final String ML = "recsys-monitor-ml-model-performance";

    private final AlarmCatalog catalog;
    private final String namespace;
    private final String region;
    private final List<String> modelVersions;
    private final List<String> streams;
    private final List<String> errorTypes;
    private final ObjectMapper json = new ObjectMapper();

    public CloudWatchDashboards(
            AlarmCatalog catalog,
            String namespace,
            String region,
            List<String> modelVersions,
            List<String> streams,
            List<String> errorTypes) {
        this.errorTypes = new ArrayList<>(errorTypes);
        this.catalog = catalog;
        this.namespace = namespace;
        this.region = region;
        this.modelVersions = modelVersions;
        this.streams = streams;
    }

    /** Both dashboards by name. */
    public Map<String, ObjectNode> build() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        out.put(OPERATIONS, operations());
        out.put(ML, ml());
        return out;
    }

    private ObjectNode operations() {
        ObjectNode body = json.createObjectNode();
        ArrayNode widgets = body.putArray("widgets");
        ObjectNode latency = widget(widgets, "API Latency (p50, p95, p99)", 60, 0);
        metric(latency, MetricNames.LATENCY_P50, null, null, "Average", null);
        metric(latency, MetricNames.LATENCY_P95, null, null, "Average", null);
        metric(latency, MetricNames.LATENCY_P99, null, null, "Average", null);
        annotate(latency, "recommendation-api-high-latency", "p99");
        ObjectNode requests = widget(widgets, "Request Count & Error Rate", 60, 1);
        metric(requests, MetricNames.THROUGHPUT, null, null, "Average", "left");
        metric(requests, MetricNames.ERROR_RATE, null, null, "Average", "right");
        annotate(requests, "recommendation-api-error-rate", "error rate");
        ObjectNode availability = widget(widgets, "Availability", 60, 2);
        metric(availability, MetricNames.AVAILABILITY, null, null, "Average", null);
        annotate(availability, "recommendation-api-availability", "availability");
        ObjectNode errors = widget(widgets, "Errors, in all and by type", 60, 3);
        // The total is what the high-error-rate alarm watches.
        metric(errors, MetricNames.ERRORS, null, null, "Sum", null);
        for (String type : errorTypes) {
            metric(errors, MetricNames.ERRORS, MetricNames.ERROR_TYPE, type, "Sum", null);
        }
        annotate(errors, "recommendation-api-high-error-rate", "errors per minute");
        ObjectNode freshness = widget(widgets, "Data freshness (event lag, s)", 60, 4);
        for (String s : streams) {
            metric(freshness, MetricNames.EVENT_LAG, MetricNames.STREAM, s, "Maximum", null);
        }
        annotate(freshness, "recommendation-data-freshness", "lag");
        ObjectNode volume = widget(widgets, "Event volume per hour", 3600, 5);
        for (String s : streams) {
            metric(volume, MetricNames.EVENT_VOLUME, MetricNames.STREAM, s, "Sum", null);
        }
        annotate(volume, "recommendation-event-volume-low", "volume");
        return body;
    }

    private ObjectNode ml() {
        ObjectNode body = json.createObjectNode();
        ArrayNode widgets = body.putArray("widgets");
        ObjectNode ctr = widget(widgets, "Click-Through Rate (CTR)", 3600, 0);
        metric(ctr, MetricNames.CTR, null, null, "Average", null);
        for (String v : modelVersions) {
            metric(ctr, MetricNames.CTR, MetricNames.MODEL_VERSION, v, "Average", null);
        }
        ArrayNode h = annotations(ctr).putArray("horizontal");
        h.addObject().put("value", 3.0).put("label", "Target").put("color", "#2ca02c");
        addThresholds(h, "recommendation-low-ctr", "CTR");
        ObjectNode conversion = widget(widgets, "Conversion Rate", 3600, 1);
        metric(conversion, MetricNames.CONVERSION_RATE, null, null, "Average", null);
        annotate(conversion, "recommendation-low-conversion-rate", "conversion");
        ObjectNode aov = widget(widgets, "Average Order Value", 3600, 2);
        metric(aov, MetricNames.AVERAGE_ORDER_VALUE, null, null, "Average", null);
        annotate(aov, "recommendation-low-average-order-value", "AOV");
        ObjectNode drift = widget(widgets, "Model Drift Score", 3600, 3);
        for (String v : modelVersions) {
            metric(drift, MetricNames.FEATURE_DRIFT, MetricNames.MODEL_VERSION, v, "Average", null);
            metric(
                    drift,
                    MetricNames.PREDICTION_DRIFT,
                    MetricNames.MODEL_VERSION,
                    v,
                    "Average",
                    null);
        }
        annotate(drift, "recommendation-model-drift-detected", "drift");
        ObjectNode diversity = widget(widgets, "Recommendation Diversity", 3600, 4);
        metric(diversity, MetricNames.DIVERSITY, null, null, "Average", null);
        metric(diversity, MetricNames.COVERAGE, null, null, "Average", "right");
        annotate(diversity, "recommendation-low-diversity", "diversity");
        return body;
    }

    private ObjectNode widget(ArrayNode widgets, String title, int period, int index) {
        ObjectNode w = widgets.addObject();
        w.put("type", "metric");
        w.put("x", (index % 2) * 12).put("y", (index / 2) * 6).put("width", 12).put("height", 6);
        ObjectNode p = w.putObject("properties");
        p.put("title", title);
        p.put("view", "timeSeries");
        p.put("period", period);
        p.put("region", region);
        p.putArray("metrics");
        return w;
    }

    private void metric(
            ObjectNode widget, String metric, String dim, String value, String stat, String yAxis) {
        ArrayNode row = ((ArrayNode) widget.get("properties").get("metrics")).addArray();
        row.add(namespace).add(metric);
        if (dim != null) {
            row.add(dim).add(value);
        }
        ObjectNode options = row.addObject().put("stat", stat);
        if (yAxis != null) {
            options.put("yAxis", yAxis);
        }
    }

    private void annotate(ObjectNode widget, String alarm, String label) {
        ArrayNode h = annotations(widget).putArray("horizontal");
        addThresholds(h, alarm, label);
    }

    private static ObjectNode annotations(ObjectNode widget) {
        ObjectNode properties = (ObjectNode) widget.get("properties");
        return properties.has("annotations")
                ? (ObjectNode) properties.get("annotations")
                : properties.putObject("annotations");
    }

    private void addThresholds(ArrayNode h, String alarm, String label) {
        AlarmDefinition d = catalog.alarm(alarm);
        if (d == null || d.isRelative()) {
            return;
        }
        if (!Double.isNaN(d.warningThreshold())) {
            h.addObject()
                    .put("value", d.warningThreshold())
                    .put("label", "Warning " + label)
                    .put("color", "#ff7f0e");
        }
        if (!Double.isNaN(d.criticalThreshold())) {
            h.addObject()
                    .put("value", d.criticalThreshold())
                    .put("label", "Critical " + label)
                    .put("color", "#d62728");
        }
    }
}
