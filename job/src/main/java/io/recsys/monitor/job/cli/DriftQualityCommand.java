package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.Scenario;
import io.recsys.monitor.job.quality.DriftQualityBenchmark;
import io.recsys.monitor.job.quality.DriftQualityReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The drift-quality benchmark: generated predictions through the whole job, clean and with shifts
 * of known size, and the table of false model-level drifted flags per day and detection delays,
 * under the job's rule and the operations guide's side by side, printed and written as JSON.
 */
@Command(
        name = "drift-quality",
        mixinStandardHelpOptions = true,
        description = {
            "Replay generated predictions through the whole job and score its drift reports:"
                    + " model-level drifted flags per day on clean traffic (--clean-days at 1"
                    + " request/s for each of --seeds seeds), and for each shift of --shifts the"
                    + " minutes until it is flagged, at 1 request/s and at --fast-rate.",
            "Each shift run replays --warmup-minutes of clean traffic, then the shift: a"
                    + " generator.scenarios entry without its time, one of"
                    + " shift:numeric=FEATURE:+0.3sd (the mean moves by 0.3 standard deviations),"
                    + " shift:category=FEATURE:5pt (5 points of the most common category move to"
                    + " the least common), shift:new-category=FEATURE:5%% (5 %% of values become"
                    + " new_FEATURE) and shift:score=-1sd (the top score).",
            "Rules side by side, from the drift reports (drift.jsonl): the guide's (p < 0.05 per"
                    + " test; scores also a mean shift > 2 sd) and the job's (drift.false-alarms-per-day,"
                    + " drift.min-distance and drift.recent-windows; at model level any drifted"
                    + " feature or the predictions). Event time"
                    + " starts at generator.start-time: the same seeds give the same table."
        })
public class DriftQualityCommand implements Callable<Integer> {
    static final double SLOW_RATE = 1.0;

    private static final long DAY_MILLIS = 86_400_000L;
    private static final long MINUTE_MILLIS = 60_000L;

    /** The shifts of issue 16: three numerical, three category moves, a new category, scores. */
    static final List<String> DEFAULT_SHIFTS =
            List.of(
                    "shift:numeric=user_age:+0.2sd",
                    "shift:numeric=user_age:+0.3sd",
                    "shift:numeric=user_age:+0.5sd",
                    "shift:category=device:3pt",
                    "shift:category=device:5pt",
                    "shift:category=device:10pt",
                    "shift:new-category=device:5%",
                    "shift:score=-1sd",
                    "shift:score=-2sd");

    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--clean-days",
            paramLabel = "D",
            description =
                    "days of clean traffic at 1 request/s per seed (default: ${DEFAULT-VALUE})")
    double cleanDays = 1;

    @Option(
            names = "--seeds",
            paramLabel = "S",
            description =
                    "seeds of the clean runs: generator.seed and the next S-1 (default:"
                            + " ${DEFAULT-VALUE})")
    int seeds = 3;

    @Option(
            names = "--shifts",
            paramLabel = "SHIFTS",
            split = ",",
            description =
                    "shifts to inject (default: user_age +0.2, +0.3, +0.5 sd; device 3, 5, 10"
                            + " points; new device category at 5 %%; scores -1 and -2 sd; \"none\""
                            + " for none)")
    List<String> shifts;

    @Option(
            names = "--warmup-minutes",
            paramLabel = "M",
            description =
                    "clean traffic before each shift, so that windows are full (default:"
                            + " ${DEFAULT-VALUE})")
    long warmupMinutes = 60;

    @Option(
            names = "--shift-minutes",
            paramLabel = "M",
            description =
                    "traffic with the shift at 1 request/s: the longest delay measured (default:"
                            + " ${DEFAULT-VALUE})")
    long shiftMinutes = 180;

    @Option(
            names = "--fast-rate",
            paramLabel = "R",
            description =
                    "requests/s of the second set of shift runs (default: ${DEFAULT-VALUE}; 0 skips it)")
    double fastRate = 1000;

    @Option(
            names = "--fast-warmup-minutes",
            paramLabel = "M",
            description =
                    "clean traffic before each shift at --fast-rate (default: ${DEFAULT-VALUE};"
                            + " shorter than the drift window, so the shift's share of a window"
                            + " grows faster than on a steady stream)")
    long fastWarmupMinutes = 5;

    @Option(
            names = "--fast-shift-minutes",
            paramLabel = "M",
            description = "traffic with the shift at --fast-rate (default: ${DEFAULT-VALUE})")
    long fastShiftMinutes = 10;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "where the JSON goes (default: ${DEFAULT-VALUE})")
    Path output = Path.of("drift-quality.json");

    @Override
    public Integer call() throws Exception {
        if (!(cleanDays >= 0) || seeds < 0 || !(fastRate >= 0)) {
            throw new ConfigException(
                    "--clean-days, --seeds and --fast-rate must not be negative, got "
                            + cleanDays
                            + ", "
                            + seeds
                            + ", "
                            + fastRate);
        }
        if (warmupMinutes < 0
                || shiftMinutes <= 0
                || fastWarmupMinutes < 0
                || fastShiftMinutes <= 0) {
            throw new ConfigException(
                    "--warmup-minutes and --fast-warmup-minutes must not be negative, and"
                            + " --shift-minutes and --fast-shift-minutes must be positive");
        }
        List<String> wanted = shifts();
        ConfigLoader loader = configOptions.loader();
        loader.set(Settings.SOURCE_TYPE.key(), "generator");
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        long baseSeed = config.get(Settings.GENERATOR_SEED);
        DriftQualityBenchmark benchmark = new DriftQualityBenchmark(config);
        DriftQualityReport report = new DriftQualityReport();
        long started = System.nanoTime();

        long cleanSpan = Math.round(cleanDays * DAY_MILLIS);
        if (cleanSpan > 0) {
            for (int i = 0; i < seeds; i++) {
                QualityRun.progress(
                        "clean traffic, " + cleanDays + " d at 1/s, seed " + (baseSeed + i));
                report.add(benchmark.clean(baseSeed + i, SLOW_RATE, cleanSpan));
                QualityRun.write(output, report.json());
            }
        }
        for (String shift : wanted) {
            QualityRun.progress(shift + " at 1/s");
            report.add(
                    benchmark.shift(
                            shift,
                            SLOW_RATE,
                            warmupMinutes * MINUTE_MILLIS,
                            shiftMinutes * MINUTE_MILLIS,
                            baseSeed));
            QualityRun.write(output, report.json());
        }
        if (fastRate > 0) {
            for (String shift : wanted) {
                QualityRun.progress(shift + " at " + DriftQualityReport.number(fastRate) + "/s");
                report.add(
                        benchmark.shift(
                                shift,
                                fastRate,
                                fastWarmupMinutes * MINUTE_MILLIS,
                                fastShiftMinutes * MINUTE_MILLIS,
                                baseSeed));
                QualityRun.write(output, report.json());
            }
        }
        QualityRun.finish(report.text(), started, output);
        return 0;
    }

    private List<String> shifts() {
        if (shifts == null) {
            return DEFAULT_SHIFTS;
        }
        if (shifts.size() == 1 && shifts.get(0).trim().equals("none")) {
            return List.of();
        }
        List<String> parsed = new java.util.ArrayList<>();
        for (String text : shifts) {
            Scenario s;
            try {
                s = Scenario.parse(text.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid shift for '--shifts': " + e.getMessage(), e);
            }
            if (!s.kind().isShift() || s.startMillis() != Scenario.FROM_THE_START) {
                throw new ConfigException(
                        "'--shifts' takes shifts without a time, such as"
                                + " shift:numeric=user_age:+0.3sd, got '"
                                + text
                                + "'");
            }
            parsed.add(s.written());
        }
        return parsed;
    }
}
