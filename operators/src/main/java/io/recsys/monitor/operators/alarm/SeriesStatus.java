package io.recsys.monitor.operators.alarm;

import io.recsys.monitor.model.Alert;

/**
 * What the incident stage knows about one alarm on one series: its current state (from the last
 * transition), the state people were last told about, and whether news is being held back by an
 * inhibition. A Flink POJO, part of {@link IncidentState}.
 */
public class SeriesStatus {
    public String alarmName;

    /** The model version of the series ("" for series without one): the scope of composites. */
    public String scope = "";

    public String state = AlarmState.INSUFFICIENT_DATA;
    public String severity;

    /** The state and severity of the last published alert; INSUFFICIENT_DATA before any. */
    public String publishedState = AlarmState.INSUFFICIENT_DATA;

    public String publishedSeverity;

    /** The inhibition holding news back, null if none. */
    public String heldBackBy;

    /** Event time from which news was held back, 0 if none. */
    public long heldBackSince;

    /** The newest transition of the series, published as it is when a hold ends. */
    public Alert latest;

    public SeriesStatus() {}

    /** Whether the current state differs from what people were told in a way worth telling. */
    boolean newsworthy() {
        boolean published = AlarmState.ALARM.equals(publishedState);
        if (AlarmState.ALARM.equals(state)) {
            return !published || !java.util.Objects.equals(severity, publishedSeverity);
        }
        return published;
    }
}
