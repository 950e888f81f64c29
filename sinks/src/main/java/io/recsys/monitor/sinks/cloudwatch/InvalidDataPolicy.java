package io.recsys.monitor.sinks.cloudwatch;

import java.util.Locale;

/**
 * What the sink does with a datum CloudWatch cannot accept (a non-finite value, a name too long, a
 * timestamp out of range): fail the job, or hand it to the dead letters and count it. Mirrors
 * {@code cloudwatch.invalid-data}.
 */
public enum InvalidDataPolicy {
    /** Fail the job with the service's (or the local check's) message. */
    FAIL,
    /** Dead-letter the datum, count it in {@code cloudwatchDatumsRejected}, and go on. */
    DROP;

    /**
     * The policy named by a {@code cloudwatch.invalid-data} value: {@code fail} or {@code drop}.
     */
    public static InvalidDataPolicy of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
