package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.model.Alert;
import java.time.Instant;
import java.util.TreeMap;

/** Alerts and topics shared by the SNS sink tests. */
final class SnsTestAlerts {
    static final String CRITICAL = "arn:aws:sns:us-east-1:123456789012:alerts-critical";
    static final String WARNING = "arn:aws:sns:us-east-1:123456789012:alerts-warning";
    static final String ML = "arn:aws:sns:us-east-1:123456789012:alerts-ml";
    static final long START = Instant.parse("2026-01-01T03:00:00Z").toEpochMilli();

    private SnsTestAlerts() {}

    static AlertRouting routing() {
        return new AlertRouting(CRITICAL, WARNING, ML);
    }

    /** The low-CTR alarm of the operations guide, raised on model v2. */
    static Alert lowCtr() {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "critical";
        alert.state = "ALARM";
        alert.previousState = "OK";
        alert.metric = "CTR";
        alert.dimensions = new TreeMap<>();
        alert.dimensions.put("ModelVersion", "v2");
        alert.value = 1.52;
        alert.threshold = 2.0;
        alert.time = START;
        alert.reason = "CTR below 2.0 in 3 of 3 periods";
        alert.route = "ml";
        alert.deduplicationKey = "recommendation-low-ctr|ModelVersion=v2";
        return alert;
    }

    static Alert alert(String name, String severity, String state, String route, int index) {
        Alert alert = lowCtr();
        alert.alarmName = name;
        alert.severity = severity;
        alert.state = state;
        alert.previousState = "ALARM".equals(state) ? "OK" : "ALARM";
        alert.route = route;
        alert.value = 1.0 + index / 100.0;
        alert.time = START + index * 60_000L;
        alert.dimensions.put("ModelVersion", "v" + (index % 3));
        alert.deduplicationKey = name + "|ModelVersion=v" + (index % 3);
        return alert;
    }
}
