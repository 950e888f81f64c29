package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.Scenario;
import io.recsys.monitor.job.quality.AlarmQualityBenchmark;
import io.recsys.monitor.job.quality.AlarmQualityReport;
import io.recsys.monitor.job.quality.DriftQualityReport;
import io.recsys.monitor.job.quality.ScenarioPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The alert-quality benchmark: generated traffic through the whole job, clean and with each
 * scenario, and the precision/recall table of its alarms (false alerts a day, detection, delay,
 * notifications per incident, resolve), printed and written as JSON.
 */
@Command(
        name = "alarm-quality",
        mixinStandardHelpOptions = true,
        description = {
            "Replay generated traffic through the whole job and score its alerts: false alerts a"
                    + " day on clean traffic (--days at 1 request/s for each of --seeds seeds,"
                    + " then one hour at --rate requests/s), and for each scenario whether and"
                    + " when it was detected, the notifications per incident and the resolve.",
            "Event time starts at generator.start-time (2026-01-01): the same seeds give the same"
                    + " table. The JSON is rewritten after every run."
        })
public class AlarmQualityCommand implements Callable<Integer> {
    /** The rate of the long clean runs: the least traffic the issue asks the job to bear. */
    static final double SLOW_RATE = 1.0;

    private static final long DAY_MILLIS = 86_400_000L;
    private static final long HOUR_MILLIS = 3_600_000L;

    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--days",
            paramLabel = "D",
            description =
                    "days of clean traffic at 1 request/s per seed (default: ${DEFAULT-VALUE})")
    double days = 7;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description =
                    "requests/s of the clean hour (default: ${DEFAULT-VALUE}; about 33 million"
                            + " events with their feedback; 0 skips it)")
    double rate = 1000;

    @Option(
            names = "--seeds",
            paramLabel = "S",
            description =
                    "seeds of the long clean runs: generator.seed and the next S-1 (default:"
                            + " ${DEFAULT-VALUE})")
    int seeds = 3;

    @Option(
            names = "--scenarios",
            paramLabel = "NAMES",
            split = ",",
            description =
                    "scenarios to run (default: all of feature-drift, ctr-drop, latency-spike,"
                            + " error-burst, malformed-events; \"none\" for none)")
    List<String> scenarioNames;

    @Option(
            names = "--ctr-drop-hours",
            paramLabel = "H",
            split = ",",
            description =
                    "hours of the day (UTC) at which the ctr-drop scenario starts, one run each,"
                            + " after 3 days of clean traffic (default: 0,6,12,18)")
    List<Integer> ctrDropHours = ScenarioPlan.CTR_DROP_HOURS;

    @Option(
            names = "--scenario-rate",
            paramLabel = "R",
            description = "requests/s of every scenario instead of each one's own rate")
    Double scenarioRate;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "where the JSON goes (default: ${DEFAULT-VALUE})")
    Path output = Path.of("alarm-quality.json");

    @Override
    public Integer call() throws Exception {
        if (!(days >= 0) || !(rate >= 0) || seeds < 0) {
            throw new ConfigException(
                    "--days, --rate and --seeds must not be negative, got "
                            + days
                            + ", "
                            + rate
                            + ", "
                            + seeds);
        }
        if (scenarioRate != null && !(scenarioRate > 0)) {
            throw new ConfigException("--scenario-rate must be positive, got " + scenarioRate);
        }
        ConfigLoader loader = configOptions.loader();
        // A bounded replay from the generator: data-driven watermarks, event time from 2026.
        loader.set(Settings.SOURCE_TYPE.key(), "generator");
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        if (config.get(Settings.CATALOGUE_SIZE) == 0) {
            // The generator's catalogue is known: measure the coverage alarms too.
            config =
                    config.with(
                            Settings.CATALOGUE_SIZE.key(),
                            Integer.toString(config.get(Settings.GENERATOR_CATALOGUE_SIZE)));
        }
        List<ScenarioPlan> plans = plans(config.get(Settings.GENERATOR_START_TIME).toEpochMilli());
        long baseSeed = config.get(Settings.GENERATOR_SEED);
        AlarmQualityBenchmark benchmark = new AlarmQualityBenchmark(config);
        AlarmQualityReport report = new AlarmQualityReport();
        long started = System.nanoTime();

        long slowSpan = Math.round(days * DAY_MILLIS);
        if (slowSpan > 0) {
            for (int i = 0; i < seeds; i++) {
                String name =
                        String.format(Locale.ROOT, "%s d at 1/s", DriftQualityReport.number(days));
                QualityRun.progress("clean traffic, " + name + ", seed " + (baseSeed + i));
                report.add(benchmark.clean(name, baseSeed + i, SLOW_RATE, slowSpan));
                QualityRun.write(output, report.json());
            }
        }
        for (ScenarioPlan plan : plans) {
            QualityRun.progress(
                    plan.name()
                            + " at "
                            + DriftQualityReport.number(plan.requestsPerSecond())
                            + "/s");
            report.add(benchmark.scenario(plan, baseSeed));
            QualityRun.write(output, report.json());
        }
        if (rate > 0) {
            String name =
                    String.format(Locale.ROOT, "1 h at %s/s", DriftQualityReport.number(rate));
            QualityRun.progress("clean traffic, " + name + ", seed " + baseSeed);
            report.add(benchmark.clean(name, baseSeed, rate, HOUR_MILLIS));
            QualityRun.write(output, report.json());
        }
        QualityRun.finish(report.text(), started, output);
        return 0;
    }

    private List<ScenarioPlan> plans(long trafficStart) {
        List<ScenarioPlan> plans = new ArrayList<>();
        List<String> wanted = scenarioNames;
        List<String> names =
                Arrays.stream(Scenario.Kind.values())
                        .filter(kind -> !kind.isShift())
                        .map(Scenario.Kind::configName)
                        .collect(Collectors.toList());
        for (String name : wanted == null ? List.<String>of() : wanted) {
            if (!"none".equals(name.trim()) && !names.contains(name.trim())) {
                throw new ConfigException(
                        "Unknown scenario '"
                                + name
                                + "' for '--scenarios'; expected a comma-separated list of "
                                + String.join(", ", names)
                                + ", or none");
            }
        }
        for (int hour : ctrDropHours) {
            if (hour < 0 || hour > 23) {
                throw new ConfigException(
                        "--ctr-drop-hours takes hours of the day, 0 to 23, got " + hour);
            }
        }
        for (ScenarioPlan plan : ScenarioPlan.defaults(trafficStart, ctrDropHours)) {
            if (wanted == null
                    || wanted.stream().anyMatch(n -> n.trim().equals(plan.kind().configName()))) {
                plans.add(scenarioRate == null ? plan : plan.atRate(scenarioRate));
            }
        }
        return plans;
    }
}
