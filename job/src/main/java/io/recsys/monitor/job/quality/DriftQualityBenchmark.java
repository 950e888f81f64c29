package io.recsys.monitor.job.quality;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.Scenario;
import io.recsys.monitor.model.DriftReport;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The runs of the drift-quality benchmark: generated predictions replayed through the whole job
 * ({@link GeneratedReplay#runForDrift}) against a reference of clean traffic from another seed, and
 * their drift reports scored ({@link DriftScoring}): clean traffic for the false flags, and one run
 * per injected shift for the detection delay. The traffic carries no feedback (impression rate 0):
 * drift reads only the predictions, whose values feedback does not change, and it would multiply
 * the events to replay. Event time starts at {@code generator.start-time}, so the same seeds give
 * the same table.
 */
public final class DriftQualityBenchmark {
    private final MonitorConfig config;
    private final long start;

    /** With the job's configuration; its {@code drift.*} keys are the rules under test. */
    public DriftQualityBenchmark(MonitorConfig config) {
        this.config =
                config.with(Settings.GENERATOR_IMPRESSION_RATE.key(), "0")
                        .with(Settings.GENERATOR_MALFORMED_SHARE.key(), "0");
        this.start = config.get(Settings.GENERATOR_START_TIME).toEpochMilli();
    }

    /** Replays {@code spanMillis} of clean traffic at {@code rate} requests/s from {@code seed}. */
    public DriftQualityReport.CleanRun clean(long seed, double rate, long spanMillis)
            throws Exception {
        GeneratedReplay.Result result =
                GeneratedReplay.runForDrift(
                        GeneratedReplay.traffic(config, seed, rate, ""), start + spanMillis);
        return new DriftQualityReport.CleanRun(
                seed,
                rate,
                spanMillis,
                result.span.requests(),
                DriftScoring.clean(fullWindows(result, start + spanMillis)),
                result.wallNanos);
    }

    /**
     * Replays {@code warmupMillis} of clean traffic, then {@code shiftMillis} with {@code shift} (a
     * {@code generator.scenarios} entry without its time, such as {@code
     * shift:numeric=user_age:+0.3sd}), and measures how long each rule takes to flag it.
     */
    public DriftQualityReport.ShiftRun shift(
            String shift, double rate, long warmupMillis, long shiftMillis, long seed)
            throws Exception {
        Scenario scenario = Scenario.parse(shift);
        if (!scenario.kind().isShift() || scenario.startMillis() != Scenario.FROM_THE_START) {
            throw new IllegalArgumentException(
                    "expected a shift scenario without a time, such as"
                            + " shift:numeric=user_age:+0.3sd, got '"
                            + shift
                            + "'");
        }
        long shiftStart = start + warmupMillis;
        String entry = scenario.written() + "@" + Instant.ofEpochMilli(shiftStart);
        GeneratedReplay.Result result =
                GeneratedReplay.runForDrift(
                        GeneratedReplay.traffic(config, seed, rate, entry),
                        shiftStart + shiftMillis);
        List<DriftReport> reports = fullWindows(result, shiftStart + shiftMillis);
        String target =
                scenario.kind() == Scenario.Kind.SHIFT_SCORE
                        ? DriftReport.PREDICTION
                        : scenario.feature();
        return new DriftQualityReport.ShiftRun(
                scenario.written(),
                rate,
                shiftStart,
                shiftMillis,
                result.span.requests(),
                DriftScoring.delays(reports, target, shiftStart, DriftScoring.GUIDE),
                DriftScoring.delays(reports, target, shiftStart, DriftScoring.JOB),
                DriftScoring.delays(reports, DriftReport.MODEL, shiftStart, DriftScoring.JOB),
                result.wallNanos);
    }

    /**
     * The reports of windows that end by the end of the traffic: at the end of a bounded replay the
     * job also closes the windows that overlap it, which hold only its last panes (on a shifted
     * run, only shifted traffic) and would not exist on a stream that goes on.
     */
    private static List<DriftReport> fullWindows(GeneratedReplay.Result result, long end) {
        return result.driftReports.stream()
                .filter(r -> r.windowEnd <= end)
                .collect(Collectors.toList());
    }
}
