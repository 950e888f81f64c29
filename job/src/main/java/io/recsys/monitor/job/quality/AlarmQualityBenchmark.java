package io.recsys.monitor.job.quality;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.AlarmDefinition;
import io.recsys.monitor.config.CompositeAlarmDefinition;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of the alert-quality benchmark: a span of generated traffic, clean or with one scenario,
 * replayed through the whole job ({@link GeneratedReplay}) and scored ({@link AlertScoring}). Event
 * time starts at {@code generator.start-time} (2026-01-01 by default), never at the wall clock, so
 * that the same seed gives the same table.
 */
public final class AlarmQualityBenchmark {
    private final MonitorConfig config;
    private final long start;

    /** With the job's configuration; its {@code generator.*} keys shape the traffic. */
    public AlarmQualityBenchmark(MonitorConfig config) {
        this.config = config;
        this.start = config.get(Settings.GENERATOR_START_TIME).toEpochMilli();
    }

    /** Replays {@code spanMillis} of clean traffic at {@code rate} requests/s from {@code seed}. */
    public AlarmQualityReport.CleanRun clean(String name, long seed, double rate, long spanMillis)
            throws Exception {
        GeneratedReplay.Result result =
                GeneratedReplay.run(
                        GeneratedReplay.traffic(config, seed, rate, ""), start + spanMillis);
        return new AlarmQualityReport.CleanRun(
                name,
                new AlarmQualityReport.Traffic(seed, rate, start, result),
                AlertScoring.clean(result.alerts, start, start + spanMillis));
    }

    /** Replays {@code plan}'s traffic from {@code seed}, its problem included. */
    public AlarmQualityReport.ScenarioRun scenario(ScenarioPlan plan, long seed) throws Exception {
        MonitorConfig runConfig =
                GeneratedReplay.traffic(
                        config, seed, plan.requestsPerSecond(), plan.generatorEntry(start));
        GeneratedReplay.Result result = GeneratedReplay.run(runConfig, plan.trafficEnd(start));
        AlertScoring.ScenarioScore score =
                AlertScoring.scenario(
                        result.alerts,
                        plan.problemStart(start),
                        plan.problemEnd(start),
                        plan.trafficEnd(start),
                        ExpectedAlarms.of(plan.kind()),
                        alarmKinds(config.alarmCatalog()),
                        longestPeriod(config.alarmCatalog()));
        return new AlarmQualityReport.ScenarioRun(
                plan,
                new AlarmQualityReport.Traffic(seed, plan.requestsPerSecond(), start, result),
                score);
    }

    /** Every alarm of the catalogue, composites included, with its incident kind. */
    static Map<String, String> alarmKinds(AlarmCatalog catalog) {
        Map<String, String> kinds = new TreeMap<>();
        for (AlarmDefinition alarm : catalog.alarms()) {
            kinds.put(alarm.name(), alarm.kind());
        }
        for (CompositeAlarmDefinition composite : catalog.composites()) {
            kinds.put(composite.name(), composite.kind());
        }
        return kinds;
    }

    /**
     * The longest period of the catalogue's alarms: how late a period overlapping a problem ends.
     */
    static long longestPeriod(AlarmCatalog catalog) {
        long longest = 0;
        for (AlarmDefinition alarm : catalog.alarms()) {
            longest = Math.max(longest, alarm.periodMillis());
        }
        return longest;
    }
}
