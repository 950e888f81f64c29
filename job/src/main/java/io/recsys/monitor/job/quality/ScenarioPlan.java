package io.recsys.monitor.job.quality;

import io.recsys.monitor.job.generator.Scenario;
import java.time.Instant;
import java.util.List;

/**
 * How the benchmark runs one scenario: the request rate, how many hours of traffic, and the hours
 * (from the start of the traffic) during which the problem lasts, chosen per scenario so that its
 * alarms can be meaningful and their resolve is seen. Every plan begins with clean hours, so that
 * an alarm that needs a history has one, and leaves clean hours after the problem for the clear.
 */
public final class ScenarioPlan {
    static final long HOUR_MILLIS = 3_600_000L;

    private final Scenario.Kind kind;
    private final double requestsPerSecond;
    private final int hours;
    private final int problemFromHour;
    private final int problemToHour;
    private final String why;

    public ScenarioPlan(
            Scenario.Kind kind,
            double requestsPerSecond,
            int hours,
            int problemFromHour,
            int problemToHour,
            String why) {
        if (problemFromHour < 0 || problemToHour <= problemFromHour || hours <= problemToHour) {
            throw new IllegalArgumentException(
                    "a plan needs clean hours after its problem: "
                            + problemFromHour
                            + "-"
                            + problemToHour
                            + " of "
                            + hours);
        }
        this.kind = kind;
        this.requestsPerSecond = requestsPerSecond;
        this.hours = hours;
        this.problemFromHour = problemFromHour;
        this.problemToHour = problemToHour;
        this.why = why;
    }

    public Scenario.Kind kind() {
        return kind;
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    public int hours() {
        return hours;
    }

    /** The reason for the rate and the hours, printed with the table. */
    public String why() {
        return why;
    }

    /** The plans of the five scenarios, in the order of {@link Scenario.Kind}. */
    public static List<ScenarioPlan> defaults() {
        return List.of(
                new ScenarioPlan(
                        Scenario.Kind.FEATURE_DRIFT,
                        5,
                        8,
                        2,
                        5,
                        "drift is decided per hour against the reference (18,000 predictions an"
                                + " hour); three hours of drift, three to clear"),
                new ScenarioPlan(
                        Scenario.Kind.CTR_DROP,
                        5,
                        32,
                        24,
                        28,
                        "the CTR-drop alarm compares with its last 24 hours and the low-CTR and"
                                + " conversion alarms want 2-3 of 3 hourly periods: a day of"
                                + " clean history, four hours of drop, four after"),
                new ScenarioPlan(
                        Scenario.Kind.LATENCY_SPIKE,
                        20,
                        3,
                        1,
                        2,
                        "percentile alarms per minute: 1,200 requests a minute, more than the"
                                + " 1,000 samples a p99 needs"),
                new ScenarioPlan(
                        Scenario.Kind.ERROR_BURST,
                        20,
                        4,
                        1,
                        2,
                        "error count, rate and availability per minute over 1,200 requests;"
                                + " availability looks back 60 minutes: two clean hours after"),
                new ScenarioPlan(
                        Scenario.Kind.MALFORMED_EVENTS,
                        5,
                        6,
                        2,
                        4,
                        "invalid events are counted per hour; two hours of them, two to clear"));
    }

    /** The same plan at another rate. */
    public ScenarioPlan atRate(double rate) {
        return new ScenarioPlan(kind, rate, hours, problemFromHour, problemToHour, why);
    }

    public long problemStart(long trafficStart) {
        return trafficStart + problemFromHour * HOUR_MILLIS;
    }

    public long problemEnd(long trafficStart) {
        return trafficStart + problemToHour * HOUR_MILLIS;
    }

    public long trafficEnd(long trafficStart) {
        return trafficStart + hours * HOUR_MILLIS;
    }

    /** The {@code generator.scenarios} entry: the kind from the problem's start to its end. */
    public String generatorEntry(long trafficStart) {
        return kind.configName()
                + "@"
                + Instant.ofEpochMilli(problemStart(trafficStart))
                + "/"
                + Instant.ofEpochMilli(problemEnd(trafficStart));
    }
}
