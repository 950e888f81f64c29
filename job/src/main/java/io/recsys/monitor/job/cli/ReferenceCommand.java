package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reference build}: the reference profile of a baseline period of prediction events. */
@Command(
        name = "reference",
        mixinStandardHelpOptions = true,
        description = "Build reference profiles for drift detection (docs/reference-profile.md).",
        subcommands = {ReferenceCommand.Build.class})
public class ReferenceCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Reads a JSON-lines file of events and writes the profile of its prediction events. */
    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description = {
                "Build a reference profile from a JSON-lines file of prediction events (a training"
                        + " or baseline period). Feedback events and invalid lines are skipped and"
                        + " counted.",
                "Feature kinds follow the JSON types unless drift.categorical-features or"
                        + " drift.numerical-features say otherwise (--set)."
            })
    public static class Build implements Callable<Integer> {
        @Mixin ConfigOptions configOptions = new ConfigOptions();

        @Option(
                names = "--input",
                required = true,
                paramLabel = "FILE",
                description = "JSON-lines file of events")
        Path input;

        @Option(
                names = "--output",
                required = true,
                paramLabel = "FILE",
                description = "reference profile to write (JSON)")
        Path output;

        @Option(
                names = "--model-version",
                paramLabel = "V",
                description = "use only this model version's events (default: every version)")
        String modelVersion;

        @Option(
                names = "--reference-version",
                paramLabel = "NAME",
                description =
                        "version named in every drift report against this profile (default: the"
                                + " output file name and the build time)")
        String referenceVersion;

        @Override
        public Integer call() throws IOException {
            ConfigLoader loader = configOptions.loader();
            configOptions.applyOverrides(loader);
            MonitorConfig config = loader.load();
            EventParser parser = new EventParser(EventLimits.fromConfig(config));
            ReferenceProfileBuilder builder = ReferenceProfileBuilder.fromConfig(config);
            long used = 0;
            long skipped = 0;
            long invalid = 0;
            String source = "file:" + input;
            try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.trim().isEmpty()) {
                        continue;
                    }
                    InputRecord record = parser.parse(line, source, System.currentTimeMillis());
                    PredictionEvent p = record.prediction;
                    if (record.deadLetter != null) {
                        invalid++;
                    } else if (p == null
                            || (modelVersion != null && !modelVersion.equals(p.modelVersion))) {
                        skipped++;
                    } else {
                        builder.add(p);
                        used++;
                    }
                }
            }
            if (used == 0) {
                throw new IllegalArgumentException(
                        "no prediction events"
                                + (modelVersion == null ? "" : " of model version " + modelVersion)
                                + " in "
                                + input);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String version =
                    referenceVersion != null
                            ? referenceVersion
                            : output.getFileName().toString().replaceFirst("\\.json$", "")
                                    + "@"
                                    + now;
            ReferenceProfile profile =
                    builder.build(version, now.toString(), input.getFileName().toString());
            // Written beside the target and moved, so that a watched directory never reads half.
            Path absolute = output.toAbsolutePath();
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
            Files.write(temp, ReferenceProfileJson.write(profile).getBytes(StandardCharsets.UTF_8));
            Files.move(
                    temp,
                    absolute,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            StringBuilder models = new StringBuilder();
            for (java.util.Map.Entry<String, ModelProfile> e : profile.models.entrySet()) {
                models.append(
                        String.format(
                                Locale.ROOT,
                                "%n  %s: %d events, %d numerical and %d categorical features",
                                e.getKey(),
                                e.getValue().events,
                                e.getValue().numericalFeatures.size(),
                                e.getValue().categoricalFeatures.size()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "Reference %s written to %s from %d prediction events (%d other events"
                            + " skipped, %d invalid):%s%n",
                    version,
                    output,
                    used,
                    skipped,
                    invalid,
                    models);
            return 0;
        }
    }
}
