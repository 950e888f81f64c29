package io.recsys.monitor.operators.alarm;

import java.util.Arrays;

/**
 * What an alarm remembers about one series between datapoints: the values of the last N periods
 * (newest first, {@code NaN} for a period without data) and its current state.
 */
public class AlarmState {
    public static final String OK = "OK";
    public static final String ALARM = "ALARM";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    /** Index of the newest period seen ({@code timestamp / period}); MIN_VALUE before any. */
    public long newestPeriod = Long.MIN_VALUE;

    /** Values of the newest N periods, newest first. */
    public double[] recent = new double[0];

    public String state = INSUFFICIENT_DATA;

    /** warning or critical while in ALARM; the last alarm severity otherwise (may be null). */
    public String severity;

    public AlarmState() {}

    static AlarmState initial(int evaluationPeriods) {
        AlarmState s = new AlarmState();
        s.recent = new double[evaluationPeriods];
        Arrays.fill(s.recent, Double.NaN);
        return s;
    }
}
