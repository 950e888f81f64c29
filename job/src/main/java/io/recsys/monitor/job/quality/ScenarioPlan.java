package io.recsys.monitor.job.quality;

import io.recsys.monitor.job.generator.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the benchmark runs one scenario: the request rate, how many hours of traffic, and the hours
 * (from the start of the traffic) during which the problem lasts, chosen per scenario so that its
 * alarms can be meaningful and their resolve is seen. Every plan begins with clean hours, so that
 * an alarm that needs a history has one, and leaves clean hours after the problem for the clear.
 */
public final class ScenarioPlan {
    static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

    /**
     * Clean hours before a CTR drop: the seasonal band of recommendation-ctr-drop wants the same
     * hour of 3 earlier days ({@code SeasonalHistory.MIN_VALUES}); before that it is in warm-up.
     */
    public static final int SEASONAL_HISTORY_HOURS = 72;

    /** The hours of the day (UTC) at which the benchmark's CTR drops start by default. */
    public static final List<Integer> CTR_DROP_HOURS = List.of(0, 6, 12, 18);

    /**
     * Requests/s of the CTR-drop runs: 3-4 days each, at the rate of the clean week (14,000 to
     * 43,000 impressions an hour over the daily cycle, enough to prove a 60 % drop in an hour).
     */
    static final double CTR_DROP_RATE = 1;

    private final String name;
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
        this(
                kind.configName(),
                kind,
                requestsPerSecond,
                hours,
                problemFromHour,
                problemToHour,
                why);
    }

    private ScenarioPlan(
            String name,
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
        this.name = name;
        this.kind = kind;
        this.requestsPerSecond = requestsPerSecond;
        this.hours = hours;
        this.problemFromHour = problemFromHour;
        this.problemToHour = problemToHour;
        this.why = why;
    }

    /** The row's name: the scenario's, with the hour of day for the CTR drops. */
    public String name() {
        return name;
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

    /**
     * The plans of the five scenarios, in the order of {@link Scenario.Kind}, the CTR drop once per
     * hour of {@code ctrDropHours} ({@link #ctrDropAt}) for traffic from {@code trafficStart}.
     */
    public static List<ScenarioPlan> defaults(long trafficStart, List<Integer> ctrDropHours) {
        List<ScenarioPlan> plans = new ArrayList<>();
        for (ScenarioPlan plan : others()) {
            if (plan.kind == Scenario.Kind.LATENCY_SPIKE) {
                for (int hour : ctrDropHours) {
                    plans.add(ctrDropAt(hour, trafficStart));
                }
            }
            plans.add(plan);
        }
        return plans;
    }

    /**
     * The CTR drop (clicks x 0.4 for four hours, four clean hours after) starting at {@code
     * hourOfDay} UTC after at least {@link #SEASONAL_HISTORY_HOURS} of clean traffic, so that the
     * seasonal band of recommendation-ctr-drop judges it against the same hour of earlier days,
     * past its warm-up: a drop at the nightly trough must be told from the night itself. A start
     * that is not on the hour moves the drop by its minutes.
     */
    public static ScenarioPlan ctrDropAt(int hourOfDay, long trafficStart) {
        if (hourOfDay < 0 || hourOfDay > 23) {
            throw new IllegalArgumentException("an hour of the day is 0 to 23, got " + hourOfDay);
        }
        int startHour = (int) (Math.floorMod(trafficStart, DAY_MILLIS) / HOUR_MILLIS);
        int from = SEASONAL_HISTORY_HOURS + Math.floorMod(hourOfDay - startHour, 24);
        return new ScenarioPlan(
                String.format(Locale.ROOT, "ctr-drop %02d:00", hourOfDay),
                Scenario.Kind.CTR_DROP,
                CTR_DROP_RATE,
                from + 8,
                from,
                from + 4,
                "the CTR-drop alarm compares an hour with the same hour of the last days, which"
                        + " wants 3 days of clean history, and the low-CTR and conversion alarms"
                        + " want 2-3 of 3 hourly periods: four hours of drop, four after");
    }

    /** The plans of the scenarios other than the CTR drop. */
    private static List<ScenarioPlan> others() {
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
        return new ScenarioPlan(name, kind, rate, hours, problemFromHour, problemToHour, why);
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
