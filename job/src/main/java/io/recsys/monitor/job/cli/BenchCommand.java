package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.bench.BenchOutputs;
import io.recsys.monitor.job.bench.BenchReport;
import io.recsys.monitor.job.bench.BenchRun;
import io.recsys.monitor.job.bench.BenchWorkload;
import io.recsys.monitor.job.bench.ReplayInput;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures the throughput and cost of the whole monitoring job on this machine: pre-generated
 * synthetic traffic through every operator on a local mini-cluster, with checkpoints, into sinks
 * that discard or, to measure what a local run's outputs and dashboard cost, into its files.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the whole job: events/s, CPU, busy time per operator, heap, state and"
                    + " checkpoints.",
            "The events are generated in memory before the clock starts (generator.* keys; by"
                    + " default 20 features and 1,000 requests per second of event time, the"
                    + " operations guide's recommender), then replayed through the complete job on a local"
                    + " mini-cluster, with drift against a reference profile of the same traffic."
        })
public class BenchCommand implements Callable<Integer> {
    /** Features of the contract's example plus these make the bench's 20. */
    static final int EXTRA_FEATURES = 11;

    /**
     * The operations guide's recommender: 1,000 requests per second, about 9,300 events per second
     * with their feedback. Windows, sketches and timers are then as dense in event time as live.
     */
    static final int REQUESTS_PER_SECOND = 1000;

    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--events",
            paramLabel = "N",
            description =
                    "events to replay (default: ${DEFAULT-VALUE}; rounded down to a multiple of the"
                            + " parallelism)")
    int events = 2_000_000;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            description = "parallelism of the job (default: ${DEFAULT-VALUE})")
    int parallelism = 2;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description = "checkpoint interval, e.g. 10s or 1s (default: ${DEFAULT-VALUE})")
    String checkpointInterval = "10s";

    @Option(
            names = "--state-backend",
            paramLabel = "NAME",
            description =
                    "hashmap (state on the heap, full checkpoints) or rocksdb (incremental"
                            + " checkpoints, as on Managed Service for Apache Flink); default:"
                            + " ${DEFAULT-VALUE}")
    String stateBackend = "hashmap";

    @Option(
            names = "--outputs",
            paramLabel = "WHERE",
            description =
                    "where the job's records go: discard (default), files (the files of a local"
                            + " run, committed on checkpoint, in a temporary directory), or"
                            + " dashboard (those files, served by the live dashboard to a client"
                            + " asking as the page does, every 2 s)")
    String outputs = "discard";

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "also write the figures as JSON to this file")
    Path output;

    @Override
    public Integer call() throws Exception {
        BenchOutputs where = BenchOutputs.of(outputs);
        ConfigLoader loader = configOptions.loader();
        loader.set(Settings.PARALLELISM.key(), Integer.toString(parallelism));
        loader.set(Settings.CHECKPOINT_INTERVAL.key(), checkpointInterval);
        loader.set(Settings.GENERATOR_EXTRA_FEATURES.key(), Integer.toString(EXTRA_FEATURES));
        loader.set(
                Settings.GENERATOR_REQUESTS_PER_SECOND.key(),
                Integer.toString(REQUESTS_PER_SECOND));
        int replayed = ReplayInput.replayable(events, parallelism);
        if (replayed <= 0) {
            throw new IllegalArgumentException(
                    "--events must be at least the parallelism (" + parallelism + ")");
        }
        // A bounded run: drift reads its reference file once instead of watching it.
        loader.set(Settings.SOURCE_TYPE.key(), "generator");
        loader.set(Settings.GENERATOR_MAX_EVENTS.key(), Integer.toString(replayed));
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();

        long started = System.nanoTime();
        BenchWorkload workload = BenchWorkload.generate(config, replayed);
        System.out.printf(
                Locale.ROOT,
                "Generated %,d events (%,d predictions, %.0f bytes per event on average, %d"
                        + " features) in %.1f s; running the job...%n",
                workload.events(),
                workload.predictions(),
                (double) workload.bytes() / workload.events(),
                workload.features(),
                (System.nanoTime() - started) / 1e9);
        BenchReport report = new BenchRun(config, workload, stateBackend, where).run();
        System.out.print(report.text());
        if (output != null) {
            QualityRun.write(output, report.json());
            System.out.println("Figures written to " + output);
        }
        return 0;
    }
}
