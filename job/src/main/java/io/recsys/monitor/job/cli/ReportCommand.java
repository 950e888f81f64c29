package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.dashboard.RunOutputs;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report}: the dashboard of a finished (or running) local run as one HTML file with its
 * scripts and data inlined, which opens offline.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write the dashboard of a run's output directory (metrics, alerts, drift, dead"
                    + " letters) as one self-contained HTML file that opens offline.",
            "Thresholds come from the alarm definitions of the configuration (--config, --set)."
        })
public class ReportCommand implements Callable<Integer> {
    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--input",
            required = true,
            paramLabel = "DIR",
            description = "output directory of a run (its metrics.jsonl, alerts.jsonl, ...)")
    Path input;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "HTML file to write (default: report.html in --input)")
    Path output;

    @Override
    public Integer call() throws Exception {
        ConfigLoader loader = configOptions.loader();
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        if (!Files.isRegularFile(input.resolve(LocalOutputs.METRICS_FILE))) {
            throw new UserError(
                    "no "
                            + LocalOutputs.METRICS_FILE
                            + " in "
                            + input
                            + ": --input names a run's output"
                            + " directory");
        }
        Path report = output != null ? output : input.resolve(LocalRun.REPORT);
        RunOutputs outputs = new RunOutputs(input, config.alarmCatalog());
        outputs.writeReport(report, input.toAbsolutePath().normalize().toString());
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "Wrote %s (%d records, %d KB)",
                        report,
                        outputs.records(),
                        (Files.size(report) + 1023) / 1024));
        return 0;
    }
}
