package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.EventFileWriter;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the synthetic generator's stream to a JSON-lines file, for replays and tests. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Write synthetic prediction and feedback events as JSON lines.",
            "The generator.* configuration keys shape the traffic (see docs/configuration.md)."
        })
public class GenerateCommand implements Callable<Integer> {
    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "file to write")
    Path output;

    @Option(names = "--events", required = true, paramLabel = "N", description = "number of events")
    long events;

    @Option(names = "--seed", paramLabel = "S", description = "seed (default: generator.seed, 42)")
    Long seed;

    @Option(
            names = "--scenario",
            paramLabel = "NAME[@EVENT_TIME]",
            description = {
                "scenario to play from an event time (repeatable): feature-drift, ctr-drop,"
                        + " latency-spike, error-burst, malformed-events;",
                "e.g. --scenario ctr-drop@2026-01-01T03:00:00Z"
            })
    List<String> scenarios = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (events <= 0) {
            throw new io.recsys.monitor.config.ConfigException(
                    "Invalid value '" + events + "' for '--events': expected a positive number");
        }
        ConfigLoader loader = configOptions.loader();
        if (seed != null) {
            loader.set(Settings.GENERATOR_SEED.key(), Long.toString(seed));
        }
        if (!scenarios.isEmpty()) {
            loader.set(Settings.GENERATOR_SCENARIOS.key(), String.join(",", scenarios));
        }
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        GeneratorSettings settings = GeneratorSettings.fromConfig(config);
        long written = EventFileWriter.write(output, new TrafficSimulator(settings), events);
        System.out.printf(Locale.ROOT, "Wrote %d events to %s%n", written, output.toAbsolutePath());
        return 0;
    }
}
