package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.EventFileWriter;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.KinesisPublisher;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.sinks.aws.AwsConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Writes the synthetic generator's stream to a JSON-lines file, for replays and tests. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Write synthetic prediction and feedback events as JSON lines to a file, or put them"
                    + " into a Kinesis stream.",
            "The generator.* configuration keys shape the traffic (see docs/configuration.md)."
        })
public class GenerateCommand implements Callable<Integer> {
    @Mixin ConfigOptions configOptions = new ConfigOptions();

    /** Exactly one destination. */
    static class Destination {
        @Option(
                names = "--output",
                required = true,
                paramLabel = "FILE",
                description = "JSON-lines file to write")
        Path output;

        @Option(
                names = "--kinesis-stream",
                required = true,
                paramLabel = "STREAM",
                description =
                        "put the events into this Kinesis stream instead (aws.* keys say where;"
                                + " paced by --rate)")
        String kinesisStream;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    @Option(
            names = "--events",
            paramLabel = "N",
            description =
                    "number of events (required for --output; 0 with --kinesis-stream: until stopped)")
    Long events;

    @Option(
            names = "--kinesis-feedback-stream",
            paramLabel = "STREAM",
            description = "with --kinesis-stream: put feedback events into this stream instead")
    String kinesisFeedbackStream;

    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_SECOND",
            description = "pace of --kinesis-stream (default: generator.events-per-second)")
    Double rate;

    @Option(names = "--seed", paramLabel = "S", description = "seed (default: generator.seed, 42)")
    Long seed;

    @Option(
            names = "--scenario",
            paramLabel = "NAME[@EVENT_TIME]",
            description = {
                "scenario to play from an event time (repeatable): feature-drift, ctr-drop,"
                        + " latency-spike, error-burst, malformed-events;",
                "or a shift of a given size: shift:numeric=FEATURE:+0.3sd (user_age,"
                        + " session_length_s, price_sensitivity, feature_NN: the mean moves by"
                        + " 0.3 standard deviations), shift:category=FEATURE:5pt (device, country,"
                        + " referrer: 5 points of the most common category go to the least"
                        + " common), shift:new-category=FEATURE:5%% (5 %% of values become"
                        + " new_FEATURE), shift:score=-1sd (the top score);",
                "e.g. --scenario ctr-drop@2026-01-01T03:00:00Z or"
                        + " --scenario shift:numeric=user_age:+0.3sd@2026-01-01T01:00:00Z"
            })
    List<String> scenarios = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        boolean toFile = destination.output != null;
        long count = events == null ? 0 : events;
        if (count < 0 || (toFile && count == 0)) {
            throw new ConfigException(
                    "Invalid value '"
                            + (events == null ? "" : events)
                            + "' for '--events': expected a positive number of events"
                            + (toFile ? " to write" : ""));
        }
        ConfigLoader loader = configOptions.loader();
        ConfigOptions.setIfGiven(loader, Settings.GENERATOR_SEED, seed);
        ConfigOptions.setIfGiven(
                loader,
                Settings.GENERATOR_SCENARIOS,
                scenarios.isEmpty() ? null : String.join(",", scenarios));
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        GeneratorSettings settings = GeneratorSettings.fromConfig(config);
        TrafficSimulator simulator = new TrafficSimulator(settings);
        if (toFile) {
            long written = EventFileWriter.write(destination.output, simulator, count);
            System.out.printf(
                    Locale.ROOT,
                    "Wrote %d events to %s%n",
                    written,
                    destination.output.toAbsolutePath());
            return 0;
        }
        AwsConnection aws = AwsConnection.fromConfig(config);
        if (config.get(Settings.KINESIS_EMULATOR)) {
            // Emulators do not speak the CBOR encoding the SDK uses for Kinesis by default.
            System.setProperty("aws.cborEnabled", "false");
        }
        try (KinesisClient kinesis =
                aws.applyTo(KinesisClient.builder())
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            double pace = rate != null ? rate : settings.eventsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "Putting %s events into Kinesis stream %s at %.0f events/s%n",
                    count == 0 ? "synthetic" : Long.toString(count),
                    destination.kinesisStream,
                    pace);
            long published =
                    new KinesisPublisher(
                                    kinesis,
                                    destination.kinesisStream,
                                    kinesisFeedbackStream == null
                                            ? destination.kinesisStream
                                            : kinesisFeedbackStream,
                                    pace)
                            .publish(simulator, count);
            System.out.printf(
                    Locale.ROOT, "Put %d events into %s%n", published, destination.kinesisStream);
        }
        return 0;
    }
}
