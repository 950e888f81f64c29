package io.recsys.monitor.job.cli;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.job.MonitoringJob;
import io.recsys.monitor.job.preflight.AwsPreflight;
import io.recsys.monitor.job.sink.AwsOutputs;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.source.FileInput;
import io.recsys.monitor.job.source.GeneratorInput;
import io.recsys.monitor.job.source.KinesisInput;
import io.recsys.monitor.job.web.RestTls;
import io.recsys.monitor.job.web.WebUiAccess;
import io.recsys.monitor.job.web.WebUiGate;
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
            "With --input and no --follow: a bounded replay that prints a summary and exits."
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

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        boolean local = env instanceof LocalStreamEnvironment;

        ConfigLoader loader = configOptions.loader();
        if (!local) {
            Map<String, Properties> groups = runtimePropertyGroups();
            loader.propertyGroups(groups);
        }
        if (input != null) {
            loader.set(Settings.SOURCE_INPUT.key(), input.toString());
            loader.set(Settings.SOURCE_TYPE.key(), "file");
        }
        if (source != null) {
            loader.set(Settings.SOURCE_TYPE.key(), source);
        }
        if (follow) {
            loader.set(Settings.SOURCE_FOLLOW.key(), "true");
        }
        if (output != null) {
            loader.set(Settings.OUTPUT_DIR.key(), output.toString());
        }
        if (reference != null) {
            loader.set(Settings.DRIFT_REFERENCE.key(), reference.toString());
        }
        configOptions.applyOverrides(loader);
        MonitorConfig config = loader.load();
        AwsPreflight.check(config);

        int restPort = local ? LocalCluster.freeLoopbackPort() : -1;
        // Only the web UI's gate may talk to the local REST endpoint (mutual TLS).
        RestTls restTls = local ? RestTls.create() : null;
        if (local) {
            env = localEnvironment(config, restPort, restTls);
        }
        // On a cluster (Managed Service for Apache Flink) the service sets the parallelism unless
        // the configuration says otherwise.
        if (local || config.explicitSettings().containsKey(Settings.PARALLELISM.key())) {
            env.setParallelism(config.get(Settings.PARALLELISM));
        }

        MonitorSources sources = sources(config);
        boolean aws = "aws".equals(config.get(Settings.SINKS_TYPE));
        Path outputDir = Paths.get(config.get(Settings.OUTPUT_DIR));
        MonitorSinks sinks =
                aws
                        ? new AwsOutputs(config)
                        : LocalOutputs.fresh(outputDir, config.get(Settings.CONSOLE_ALERTS));
        MonitoringJob.build(env, sources, sinks, config);
        String outputs =
                aws
                        ? "CloudWatch namespace "
                                + config.get(Settings.METRIC_NAMESPACE)
                                + " and SNS"
                        : outputDir.toAbsolutePath().toString();

        boolean bounded = isBounded(config);
        LOG.info(
                "event=job_starting source={} outputs=\"{}\" bounded={} settings={}",
                config.get(Settings.SOURCE_TYPE),
                outputs,
                bounded,
                config.explicitSettings().keySet());
        WebUiGate webUi = local ? webUi(config, restPort, restTls) : null;
        try {
            if (local) {
                System.out.printf(
                        Locale.ROOT,
                        "recsys-monitor: %s source, outputs in %s, Flink web UI on http://%s:%d%n",
                        config.get(Settings.SOURCE_TYPE),
                        outputs,
                        LocalCluster.browserHost(config.get(Settings.BIND_ADDRESS)),
                        webUi.port());
            }
            long started = System.nanoTime();
            JobExecutionResult result = env.execute(config.get(Settings.JOB_NAME));
            if (bounded) {
                System.out.println(ReplaySummary.of(result, System.nanoTime() - started, outputs));
            }
        } finally {
            if (webUi != null) {
                webUi.close();
            }
            if (restTls != null) {
                restTls.close();
            }
        }
        return 0;
    }

    private static MonitorSources sources(MonitorConfig config) {
        switch (config.get(Settings.SOURCE_TYPE)) {
            case "file":
                return new FileInput(config);
            case "kinesis":
                return new KinesisInput(config);
            default:
                return new GeneratorInput(config);
        }
    }

    private static boolean isBounded(MonitorConfig config) {
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

    private static StreamExecutionEnvironment localEnvironment(
            MonitorConfig config, int restPort, RestTls restTls) {
        Configuration conf = LocalCluster.configuration(config, restPort);
        restTls.configure(conf);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.enableCheckpointing(config.get(Settings.CHECKPOINT_INTERVAL).toMillis());
        return env;
    }

    /** The web UI in front of the local cluster's REST endpoint, as the configuration allows. */
    private static WebUiGate webUi(MonitorConfig config, int restPort, RestTls restTls)
            throws IOException {
        String bindAddress = config.get(Settings.BIND_ADDRESS);
        return WebUiGate.start(
                bindAddress,
                config.get(Settings.WEB_UI_PORT),
                restPort,
                new WebUiAccess(
                        config.get(Settings.WEB_SUBMIT),
                        config.get(Settings.WEB_CANCEL),
                        bindAddress),
                restTls.clientContext());
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

    /** The count of one accumulator, 0 when the job had no such operator. */
    static long count(JobExecutionResult result, String name) {
        Object value = result.getAccumulatorResult(name);
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }

    /** The line a bounded replay ends with. */
    static final class ReplaySummary {
        private ReplaySummary() {}

        static String of(JobExecutionResult result, long elapsedNanos, String outputs) {
            return String.format(
                    Locale.ROOT,
                    "Replay finished in %.1f s: %d events read, %d invalid (dead-letter.jsonl),"
                            + " %d late, %d late feedback, %d metric points and %d alerts written to %s",
                    elapsedNanos / 1e9,
                    count(result, SplitInput.EVENTS_READ),
                    count(result, SplitInput.INVALID_EVENTS),
                    count(result, SplitInput.LATE_EVENTS),
                    count(result, MonitoringJob.LATE_SIGNALS),
                    count(result, MonitoringJob.METRICS_WRITTEN),
                    count(result, MonitoringJob.ALERTS_WRITTEN),
                    outputs);
        }
    }
}
