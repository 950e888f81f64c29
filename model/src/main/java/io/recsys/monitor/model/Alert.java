package io.recsys.monitor.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A change of an alarm's state for one series: raised (ALARM at warning or critical) or resolved
 * (back to OK). The deduplication key stays the same for all alerts of one alarm and series, so
 * that a receiver can fold them into one incident.
 *
 * <p>Besides the numbers it carries what a person needs to act: the priority (P0 to P3 of the
 * operations guide's incident table), the incident kind and its playbook steps, the remediation
 * action subscribers may take ({@code none}, {@code trigger_retraining}, {@code rollback_model},
 * {@code scale_up}; the job never executes it), and the values of the periods it looked at.
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

    /** P0 (complete outage) to P3 (minor); null on alerts of the first release. */
    public String priority;

    /** Remediation action for subscribers: none, trigger_retraining, rollback_model, scale_up. */
    public String action;

    /** Incident kind, which names the playbook: high-error-rate, model-drift, data-outage... */
    public String kind;

    /**
     * What happened: raised, escalated, de-escalated, resolved, repeat, no-data, data-back, or
     * flapping (the series keeps changing state; news is held until it is stable, see the reason).
     */
    public String notification;

    /** One line a person understands: the alarm's description. */
    public String summary;

    /** The ModelVersion dimension of the series, null for series without one. */
    public String modelVersion;

    /** Values of the evaluated periods, oldest first; NaN for a period without data. */
    public double[] recentValues = new double[0];

    /** The playbook steps for this kind of incident, in order. */
    @TypeInfo(ListTypeInfoFactory.class)
    public List<String> runbook = new ArrayList<>();

    /** The inhibition that held this alert back until now, null if none. */
    public String heldBackBy;

    /** Event time from which the alert was held back, epoch ms; 0 if it was not. */
    public long heldBackSince;

    public Alert() {}

    /** A copy that shares no mutable field with this alert (absent fields stay absent). */
    public Alert copy() {
        Alert c = new Alert();
        c.alarmName = alarmName;
        c.severity = severity;
        c.state = state;
        c.previousState = previousState;
        c.metric = metric;
        c.dimensions = dimensions == null ? null : new TreeMap<>(dimensions);
        c.value = value;
        c.threshold = threshold;
        c.time = time;
        c.reason = reason;
        c.route = route;
        c.deduplicationKey = deduplicationKey;
        c.priority = priority;
        c.action = action;
        c.kind = kind;
        c.notification = notification;
        c.summary = summary;
        c.modelVersion = modelVersion;
        c.recentValues = recentValues == null ? null : recentValues.clone();
        c.runbook = runbook == null ? null : new ArrayList<>(runbook);
        c.heldBackBy = heldBackBy;
        c.heldBackSince = heldBackSince;
        return c;
    }

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
                && Objects.equals(deduplicationKey, that.deduplicationKey)
                && Objects.equals(priority, that.priority)
                && Objects.equals(action, that.action)
                && Objects.equals(kind, that.kind)
                && Objects.equals(notification, that.notification)
                && Objects.equals(summary, that.summary)
                && Objects.equals(modelVersion, that.modelVersion)
                && Arrays.equals(recentValues, that.recentValues)
                && Objects.equals(runbook, that.runbook)
                && Objects.equals(heldBackBy, that.heldBackBy)
                && heldBackSince == that.heldBackSince;
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
                + (priority == null ? "" : " " + priority)
                + ") value="
                + value
                + " threshold="
                + threshold
                + " t="
                + time
                + "}";
    }
}
