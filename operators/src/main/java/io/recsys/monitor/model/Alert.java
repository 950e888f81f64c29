package io.recsys.monitor.model;

import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A change of an alarm's state for one series: raised (ALARM at warning or critical) or resolved
 * (back to OK). The deduplication key stays the same for all alerts of one alarm and series, so
 * that a receiver can fold them into one incident.
 */
public class Alert {
    public String alarmName;

    /** "warning" or "critical" while in ALARM; the last alarm severity when resolved. */
    public String severity;

    /** ALARM, OK or INSUFFICIENT_DATA. */
    public String state;

    public String previousState;
    public String metric;

    @TypeInfo(DimensionsTypeInfo.Factory.class)
    public TreeMap<String, String> dimensions = new TreeMap<>();

    public double value;
    public double threshold;

    /** Event time of the evaluation (the end of the window that decided it), epoch ms. */
    public long time;

    public String reason;

    /** Topic route: critical, warning or ml. */
    public String route;

    public String deduplicationKey;

    public Alert() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert that = (Alert) o;
        return Double.compare(value, that.value) == 0
                && Double.compare(threshold, that.threshold) == 0
                && time == that.time
                && Objects.equals(alarmName, that.alarmName)
                && Objects.equals(severity, that.severity)
                && Objects.equals(state, that.state)
                && Objects.equals(previousState, that.previousState)
                && Objects.equals(metric, that.metric)
                && Objects.equals(dimensions, that.dimensions)
                && Objects.equals(reason, that.reason)
                && Objects.equals(route, that.route)
                && Objects.equals(deduplicationKey, that.deduplicationKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alarmName, state, dimensions, time);
    }

    @Override
    public String toString() {
        return "Alert{"
                + alarmName
                + " "
                + dimensions
                + " "
                + previousState
                + "->"
                + state
                + " ("
                + severity
                + ") value="
                + value
                + " threshold="
                + threshold
                + " t="
                + time
                + "}";
    }
}
