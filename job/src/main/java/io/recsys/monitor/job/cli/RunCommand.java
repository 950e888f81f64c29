package io.recsys.monitor.job.cli;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.job.MonitoringJob;
import io.recsys.monitor.job.lifecycle.ResumePlan;
import io.recsys.monitor.job.preflight.AwsPreflight;
import io.recsys.monitor.job.sink.AwsOutputs;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.source.FileInput;
import io.recsys.monitor.job.source.GeneratorInput;
import io.recsys.monitor.job.source.KinesisInput;
import io.recsys.monitor.job.state.RocksDbTuning;
import io.recsys.monitor.operators.dataquality.DeadLetterTimestamps;
import io.recsys.monitor.operators.ingest.SplitInput;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the monitoring job. Locally (the default) it starts an embedded Flink mini-cluster with the
 * web UI; submitted to a cluster or Managed Service for Apache Flink it runs there and reads the
 * application's runtime property groups.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the monitoring job.",
            "With no options: synthetic traffic, outputs under ./output, web UI on"
                    + " http://127.0.0.1:8081 (this machine only).",
            "With --input and no --follow: a bounded replay that prints a summary and exits"
                    + " (no web UI unless job.web-ui-port is set).",
            "Ctrl-C stops with a savepoint; the same command again resumes an unfinished run"
                    + " from its newest checkpoint or savepoint (docs/local-runs.md)."
        })
public class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin ConfigOptions configOptions = new ConfigOptions();

    @Option(
            names = "--source",
            paramLabel = "TYPE",
            description =
                    "generator, file or kinesis (default: generator, or file when --input is"
                            + " given)")
    String source;

    @Option(
            names = "--input",
            paramLabel = "PATH",
            description = "JSON-lines file or directory to read")
    Path input;

    @Option(names = "--follow", description = "keep watching the --input directory for new files")
    boolean follow;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "directory of metrics.jsonl, alerts.jsonl, dead-letter.jsonl")
    Path output;

    @Option(
            names = "--reference",
            paramLabel = "PATH",
            description =
                    "reference profile file, or a directory watched for new ones (drift.reference;"
                            + " build one with 'reference build')")
    Path reference;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "directory of the retained checkpoints (job.checkpoint-dir; default:"
                            + " checkpoints under --output)")
    Path checkpointDir;

    @Option(
            names = "--resume",
            description =
                    "continue the unfinished run in --output from its newest checkpoint or"
                            + " savepoint; fail when there is none (without it, an unfinished run"
                            + " is continued and a finished one replaced)")
    boolean resume;

    @Option(
            names = "--fresh",
            description = "discard the outputs and checkpoints of an earlier run and start over")
    boolean fresh;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "restore this savepoint (or retained checkpoint) directory")
    Path fromSavepoint;

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        boolean local = env instanceof LocalStreamEnvironment;

        ConfigLoader loader = configOptions.loader();
        if (!local) {
            Map<String, Properties> groups = runtimePropertyGroups();
            loader.propertyGroups(groups);
        }
        ConfigOptions.setIfGiven(loader, Settings.SOURCE_INPUT, input);
        ConfigOptions.setIfGiven(loader, Settings.SOURCE_TYPE, input == null ? null : "file");
        ConfigOptions.setIfGiven(loader, Settings.SOURCE_TYPE, source);
        ConfigOptions.setIfGiven(loader, Settings.SOURCE_FOLLOW, follow ? "true" : null);
        ConfigOptions.setIfGiven(loader, Settings.OUTPUT_DIR, output);
        ConfigOptions.setIfGiven(loader, Settings.DRIFT_REFERENCE, reference);
        ConfigOptions.setIfGiven(loader, Settings.CHECKPOINT_DIR, checkpointDir);
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        ResumePlan.Mode mode = mode();
        AwsPreflight.check(config);
        if (local) {
            LocalPathCheck.check(config);
            return new LocalRun(config, mode, fromSavepoint).call();
        }

        // On a cluster (Managed Service for Apache Flink) the service sets the parallelism unless
        // the configuration says otherwise, and owns checkpoints, restarts and restores. The job
        // sets no checkpoint option: the service refuses keys outside its list in code, and
        // buffer debloating (BacklogCheckpoints) is a task-manager setting (docs/deploy.md).
        if (config.explicitSettings().containsKey(Settings.PARALLELISM.key())) {
            env.setParallelism(config.get(Settings.PARALLELISM));
        }
        // Job-level keys reach the state backend in Flink 1.20 (job keys win over the cluster's);
        // whether the service keeps them is not documented (docs/deploy.md, State backend).
        Configuration rocksDb = new Configuration();
        RocksDbTuning.apply(rocksDb);
        env.configure(rocksDb);
        MonitorSinks sinks =
                "aws".equals(config.get(Settings.SINKS_TYPE))
                        ? new AwsOutputs(config)
                        : LocalOutputs.fresh(
                                Paths.get(config.get(Settings.OUTPUT_DIR)),
                                config.get(Settings.CONSOLE_ALERTS));
        MonitoringJob.build(env, sources(config), sinks, config);
        LOG.info(
                "event=job_starting source={} settings={}",
                config.get(Settings.SOURCE_TYPE),
                config.explicitSettings().keySet());
        env.execute(config.get(Settings.JOB_NAME));
        return 0;
    }

    private ResumePlan.Mode mode() {
        int chosen = (resume ? 1 : 0) + (fresh ? 1 : 0) + (fromSavepoint != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException(
                    "choose one of --resume, --fresh and --from-savepoint");
        }
        if (resume) {
            return ResumePlan.Mode.RESUME;
        }
        if (fresh) {
            return ResumePlan.Mode.FRESH;
        }
        return fromSavepoint != null ? ResumePlan.Mode.FROM_SAVEPOINT : ResumePlan.Mode.AUTO;
    }

    /** The job's sources as {@code source.type} says. */
    static MonitorSources sources(MonitorConfig config) {
        switch (config.get(Settings.SOURCE_TYPE)) {
            case "file":
                return new FileInput(config);
            case "kinesis":
                return new KinesisInput(config);
            default:
                return new GeneratorInput(config);
        }
    }

    /** Whether the run ends by itself: a file read once, or the generator with an event limit. */
    static boolean isBounded(MonitorConfig config) {
        switch (config.get(Settings.SOURCE_TYPE)) {
            case "file":
                return !config.get(Settings.SOURCE_FOLLOW);
            case "kinesis":
                // A stream never ends: no replay summary.
                return false;
            default:
                return config.get(Settings.GENERATOR_MAX_EVENTS) > 0;
        }
    }

    /**
     * The runtime property groups of Managed Service for Apache Flink; none on another cluster (the
     * runtime library then finds no application properties file).
     */
    private static Map<String, Properties> runtimePropertyGroups() throws IOException {
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (FileNotFoundException e) {
            LOG.info("event=no_runtime_properties detail={}", e.getMessage());
            return Collections.emptyMap();
        }
    }

    /** The line a bounded replay ends with. */
    static final class ReplaySummary {
        private ReplaySummary() {}

        static String of(JobExecutionResult result, long elapsedNanos, String outputs) {
            String line =
                    String.format(
                            Locale.ROOT,
                            "Replay finished in %.1f s: %d events read, %d invalid"
                                    + " (dead-letter.jsonl), %d late, %d late feedback, %d metric"
                                    + " points and %d alerts written to %s",
                            elapsedNanos / 1e9,
                            MonitoringJob.count(result, SplitInput.EVENTS_READ),
                            MonitoringJob.count(result, SplitInput.INVALID_EVENTS),
                            MonitoringJob.count(result, SplitInput.LATE_EVENTS),
                            MonitoringJob.count(result, MonitoringJob.LATE_SIGNALS),
                            MonitoringJob.count(result, MonitoringJob.METRICS_WRITTEN),
                            MonitoringJob.count(result, MonitoringJob.ALERTS_WRITTEN),
                            outputs);
            long excluded = MonitoringJob.count(result, DeadLetterTimestamps.EXCLUDED_ACCUMULATOR);
            // Said only when it happens: invalid events that no InvalidEvents window shows.
            return excluded == 0
                    ? line
                    : line
                            + String.format(
                                    Locale.ROOT,
                                    "; %d invalid events had no event time (no valid event"
                                            + " before them) and are in no data quality window",
                                    excluded);
        }
    }
}
