package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.MonitoringJob;
import io.recsys.monitor.job.dashboard.DashboardFreshness;
import io.recsys.monitor.job.dashboard.DashboardServer;
import io.recsys.monitor.job.dashboard.RunOutputs;
import io.recsys.monitor.job.lifecycle.OutputLock;
import io.recsys.monitor.job.lifecycle.ResumePlan;
import io.recsys.monitor.job.lifecycle.RetainedState;
import io.recsys.monitor.job.lifecycle.RunLog;
import io.recsys.monitor.job.lifecycle.RunManifest;
import io.recsys.monitor.job.lifecycle.SavepointStop;
import io.recsys.monitor.job.lifecycle.StopOnSignal;
import io.recsys.monitor.job.sink.AwsOutputs;
import io.recsys.monitor.job.sink.LocalOutputs;
import io.recsys.monitor.job.web.RestTls;
import io.recsys.monitor.job.web.WebUiAccess;
import io.recsys.monitor.job.web.WebUiGate;
import io.recsys.monitor.operators.ingest.SplitInput;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobInitializationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local run of the monitoring job from start to end: it claims the output directory (a lock),
 * moves the log there, decides whether to continue an unfinished run ({@link ResumePlan}), starts
 * the web UI if the run wants one, runs the job with durable checkpoints, stops it with a savepoint
 * on Ctrl-C and records how it ended in the directory's {@link RunManifest}.
 */
final class LocalRun {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

    /** The directories under the output directory where savepoints and checkpoints go. */
    static final String SAVEPOINTS = "savepoints";

    static final String CHECKPOINTS = "checkpoints";

    /** The dashboard report a bounded replay writes into its output directory. */
    static final String REPORT = "report.html";

    private final MonitorConfig config;
    private final ResumePlan.Mode mode;
    private final Path fromSavepoint;

    LocalRun(MonitorConfig config, ResumePlan.Mode mode, Path fromSavepoint) {
        this.config = config;
        this.mode = mode;
        this.fromSavepoint = fromSavepoint;
    }

    int call() throws Exception {
        Path outputDir = Paths.get(config.get(Settings.OUTPUT_DIR)).toAbsolutePath().normalize();
        // Nothing touches the directory, not even the log, before the lock is held.
        try (OutputLock lock = OutputLock.acquire(outputDir)) {
            RunLog.useOutputDirectory(outputDir);
            LOG.info(
                    "event=run_starting pid={} output=\"{}\" mode={}",
                    ProcessHandle.current().pid(),
                    outputDir,
                    mode);
            if (wantsWebUi(config, RunCommand.isBounded(config))) {
                // Seconds before the gate itself can start (its TLS key is made first).
                probeWebUiPort();
            }
            return run(outputDir);
        }
    }

    private int run(Path outputDir) throws Exception {
        Path checkpointRoot = checkpointRoot(config, outputDir);
        Path savepoints = outputDir.resolve(SAVEPOINTS);
        Optional<RunManifest> previous = Optional.empty();
        String unreadable = null;
        try {
            previous = RunManifest.read(outputDir);
        } catch (IOException e) {
            unreadable = e.getClass().getSimpleName();
            LOG.warn("event=run_manifest_unreadable", e);
        }
        Map<String, String> settings = ResumePlan.definingSettings(config.explicitSettings());
        ResumePlan plan =
                ResumePlan.decide(
                        mode,
                        fromSavepoint,
                        previous,
                        unreadable,
                        settings,
                        previous.isPresent() ? restorable(previous.get()) : Optional.empty(),
                        new JobID().toHexString(),
                        outputDir);

        boolean bounded = RunCommand.isBounded(config);
        int restPort = LocalCluster.freeLoopbackPort();
        // Only the web UI's gate may talk to the local REST endpoint (mutual TLS).
        boolean aws = "aws".equals(config.get(Settings.SINKS_TYPE));
        // The dashboard reads the local files: with sinks.type=aws there are none.
        boolean dashboard = config.get(Settings.DASHBOARD_ENABLED) && !aws;
        RunOutputs runOutputs = dashboard ? new RunOutputs(outputDir, config.alarmCatalog()) : null;
        try (RestTls restTls = RestTls.create();
                WebUiGate webUi = wantsWebUi(config, bounded) ? webUi(restPort, restTls) : null;
                DashboardServer dashboardServer =
                        webUi != null && dashboard ? dashboardServer(runOutputs) : null) {
            RunManifest manifest = new RunManifest();
            manifest.settings.putAll(settings);
            manifest.checkpointDir = checkpointRoot.toString();
            manifest.jobId = plan.jobId;
            manifest.restoredFrom = plan.restoreFrom == null ? null : plan.restoreFrom.toString();
            manifest.lastSavepoint =
                    plan.fresh || previous.isEmpty() ? null : previous.get().lastSavepoint;
            manifest.pid = ProcessHandle.current().pid();
            manifest.started = Instant.now().toString();
            // The new manifest first: a kill before the old run's leftovers are gone leaves a run
            // without checkpoints, which the next start replaces.
            manifest.write(outputDir);
            if (plan.fresh && previous.isPresent()) {
                discardCheckpoints(previous.get());
            }

            boolean consoleAlerts = config.get(Settings.CONSOLE_ALERTS);
            MonitorSinks sinks =
                    aws
                            ? new AwsOutputs(config)
                            : plan.fresh
                                    ? LocalOutputs.fresh(outputDir, consoleAlerts)
                                    : LocalOutputs.continuing(outputDir, consoleAlerts);
            String outputs =
                    aws
                            ? "CloudWatch namespace "
                                    + config.get(Settings.METRIC_NAMESPACE)
                                    + " and SNS"
                            : outputDir.toString();

            Configuration conf = LocalCluster.configuration(config, restPort);
            restTls.configure(conf);
            LocalCluster.durability(conf, config, checkpointRoot, savepoints, plan);
            conf.set(WebOptions.LOG_PATH, System.getProperty("log.file", ""));
            StreamExecutionEnvironment env =
                    webUi != null
                            ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                            : StreamExecutionEnvironment.createLocalEnvironment(conf);
            env.setParallelism(config.get(Settings.PARALLELISM));
            env.enableCheckpointing(config.get(Settings.CHECKPOINT_INTERVAL).toMillis());
            MonitoringJob.build(env, RunCommand.sources(config), sinks, config);
            LOG.info(
                    "event=job_starting source={} outputs=\"{}\" bounded={} job_id={}"
                            + " restore=\"{}\" settings={}",
                    config.get(Settings.SOURCE_TYPE),
                    outputs,
                    bounded,
                    plan.jobId,
                    plan.restoreFrom == null ? "" : plan.restoreFrom,
                    config.explicitSettings().keySet());

            long started = System.nanoTime();
            JobClient client = env.executeAsync(config.get(Settings.JOB_NAME));
            StopOnSignal stop =
                    StopOnSignal.install(
                            SavepointStop.retrying(
                                    () ->
                                            client.stopWithSavepoint(
                                                    false,
                                                    savepoints.toUri().toString(),
                                                    SavepointFormatType.CANONICAL)));
            try {
                if (plan.message != null) {
                    System.out.println("recsys-monitor: " + plan.message);
                }
                System.out.println(banner(outputs, webUi, dashboardServer));

                JobExecutionResult result;
                try {
                    result = client.getJobExecutionResult().get();
                } catch (ExecutionException e) {
                    manifest.state = RunManifest.State.FAILED;
                    manifest.write(outputDir);
                    throw failure(plan, e);
                }
                long elapsed = System.nanoTime() - started;
                String savepoint = stop.requested() ? savepointOf(stop) : null;
                if (savepoint != null) {
                    manifest.state = RunManifest.State.STOPPED;
                    manifest.lastSavepoint = savepoint;
                    manifest.write(outputDir);
                    LOG.info("event=run_stopped savepoint=\"{}\"", savepoint);
                    System.out.println(StopSummary.of(result, elapsed, outputs, savepoint));
                    return 0;
                }
                manifest.state = RunManifest.State.FINISHED;
                manifest.write(outputDir);
                LOG.info("event=run_finished");
                if (bounded) {
                    String summary = RunCommand.ReplaySummary.of(result, elapsed, outputs);
                    if (runOutputs != null) {
                        summary += "; " + writeReport(runOutputs, outputDir);
                    }
                    System.out.println(summary);
                }
                return 0;
            } finally {
                stop.close();
            }
        }
    }

    /**
     * Writes the replay's report and says where; the outputs are complete without it, so a report
     * that cannot be written is said, not a failed run.
     */
    private static String writeReport(RunOutputs runOutputs, Path outputDir) {
        Path report = outputDir.resolve(REPORT);
        try {
            runOutputs.writeReport(report, outputDir.toString());
            return "report in " + report;
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=report_failed path=\"{}\"", report, e);
            return "no report (" + e.getMessage() + ")";
        }
    }

    /** The savepoint the stop took, null when the job ended without one (it finished first). */
    private static String savepointOf(StopOnSignal stop) throws InterruptedException {
        try {
            String location = stop.savepoint().get();
            return location.startsWith("file:") ? localPath(location).toString() : location;
        } catch (ExecutionException e) {
            LOG.warn("event=stop_savepoint_failed", e);
            return null;
        }
    }

    /** The newest complete checkpoint or savepoint the run of {@code manifest} left. */
    static Optional<Path> restorable(RunManifest manifest) throws IOException {
        Optional<Path> checkpoint =
                manifest.checkpointDir == null
                        ? Optional.empty()
                        : RetainedState.newestCheckpoint(
                                Paths.get(manifest.checkpointDir).resolve(manifest.jobId));
        Optional<Path> savepoint = completeOrEmpty(manifest.lastSavepoint);
        Optional<Path> newest = RetainedState.newer(checkpoint, savepoint);
        // A run killed before its first checkpoint still has what it was restored from.
        return newest.isPresent()
                ? newest
                : RetainedState.newer(Optional.empty(), completeOrEmpty(manifest.restoredFrom));
    }

    private static Optional<Path> completeOrEmpty(String location) {
        if (location == null) {
            return Optional.empty();
        }
        Path path = localPath(location);
        return RetainedState.isComplete(path) ? Optional.of(path) : Optional.empty();
    }

    /** A location Flink reports as a file: URI, or a plain path as the manifest may hold. */
    private static Path localPath(String location) {
        return location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
    }

    /** Deletes the checkpoints of the run of {@code manifest} (only its job's own directory). */
    private static void discardCheckpoints(RunManifest manifest) throws IOException {
        if (manifest.checkpointDir == null || !manifest.jobId.matches("[0-9a-f]{32}")) {
            return;
        }
        Path jobDir = Paths.get(manifest.checkpointDir).resolve(manifest.jobId);
        if (!Files.isDirectory(jobDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(jobDir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
        LOG.info("event=checkpoints_discarded job_id={}", manifest.jobId);
    }

    /** Where checkpoints go: {@code job.checkpoint-dir}, else {@code <output>/checkpoints}. */
    static Path checkpointRoot(MonitorConfig config, Path outputDir) {
        String configured = config.get(Settings.CHECKPOINT_DIR);
        return configured.isEmpty()
                ? outputDir.resolve(CHECKPOINTS)
                : Paths.get(configured).toAbsolutePath().normalize();
    }

    /**
     * Whether the run serves the web UI: as {@code job.web-ui} says; on auto a live run does, a
     * bounded replay only when a port was given.
     */
    static boolean wantsWebUi(MonitorConfig config, boolean bounded) {
        switch (config.get(Settings.WEB_UI)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                return !bounded
                        || config.explicitSettings().containsKey(Settings.WEB_UI_PORT.key());
        }
    }

    /** The web UI in front of the local cluster's REST endpoint, as the configuration allows. */
    private WebUiGate webUi(int restPort, RestTls restTls) throws IOException {
        String bindAddress = config.get(Settings.BIND_ADDRESS);
        int port = config.get(Settings.WEB_UI_PORT);
        try {
            return WebUiGate.start(
                    bindAddress,
                    port,
                    restPort,
                    new WebUiAccess(
                            config.get(Settings.WEB_SUBMIT),
                            config.get(Settings.WEB_CANCEL),
                            bindAddress),
                    restTls.clientContext());
        } catch (BindException e) {
            throw portInUse(port, e);
        }
    }

    /**
     * The live dashboard, on the web UI's address and, unless {@code dashboard.port} is set, the
     * port after the web UI's (or a free one when that is taken).
     */
    private DashboardServer dashboardServer(RunOutputs runOutputs) throws IOException {
        Duration delay = DashboardFreshness.configuredDelay(config);
        LOG.info("event=dashboard_starting configured_delay_s={}", delay.toSeconds());
        if (config.eventTimeFollowsClock()
                && delay.compareTo(config.get(Settings.HEALTH_PERIOD)) >= 0) {
            LOG.warn(
                    "event=dashboard_late configured_delay_s={} period_s={} reason=\"watermark"
                            + " out-of-orderness + checkpoint interval + the page's poll: the"
                            + " one-minute points reach the page more than a period after their"
                            + " window\"",
                    delay.toSeconds(),
                    config.get(Settings.HEALTH_PERIOD).toSeconds());
        }
        int port = dashboardPort(config);
        String bindAddress = config.get(Settings.BIND_ADDRESS);
        try {
            return DashboardServer.start(bindAddress, port, runOutputs);
        } catch (BindException e) {
            if (!config.explicitSettings().containsKey(Settings.DASHBOARD_PORT.key())) {
                // Only a port chosen for the user moves; the banner names the one taken.
                LOG.info("event=dashboard_port_taken port={}", port);
                return DashboardServer.start(bindAddress, 0, runOutputs);
            }
            throw new UserError(
                    "port "
                            + port
                            + " on "
                            + config.get(Settings.BIND_ADDRESS)
                            + " is in use; choose another with --set dashboard.port=PORT (0 picks"
                            + " a free one) or switch the dashboard off with --set"
                            + " dashboard.enabled=false",
                    e);
        }
    }

    /** {@code dashboard.port} when set, else the web UI's port + 1 (a free one after port 0). */
    static int dashboardPort(MonitorConfig config) {
        if (config.explicitSettings().containsKey(Settings.DASHBOARD_PORT.key())) {
            return config.get(Settings.DASHBOARD_PORT);
        }
        int webUiPort = config.get(Settings.WEB_UI_PORT);
        return webUiPort == 0 || webUiPort == 65535 ? 0 : webUiPort + 1;
    }

    /** Fails at once when the web UI's port is taken; the gate binds it again later. */
    private void probeWebUiPort() throws IOException {
        int port = config.get(Settings.WEB_UI_PORT);
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(
                    new InetSocketAddress(
                            InetAddress.getByName(config.get(Settings.BIND_ADDRESS)), port));
        } catch (BindException e) {
            throw portInUse(port, e);
        }
    }

    private UserError portInUse(int port, BindException e) {
        return new UserError(
                "port "
                        + port
                        + " on "
                        + config.get(Settings.BIND_ADDRESS)
                        + " is in use; choose another with --set job.web-ui-port=PORT (0 picks a"
                        + " free one)",
                e);
    }

    private String banner(String outputs, WebUiGate webUi, DashboardServer dashboard) {
        String host = LocalCluster.browserHost(config.get(Settings.BIND_ADDRESS));
        return String.format(
                Locale.ROOT,
                "recsys-monitor: %s source, outputs in %s, %s%s",
                config.get(Settings.SOURCE_TYPE),
                outputs,
                webUi == null
                        ? "no web UI (--set job.web-ui=true for one)"
                        : String.format(
                                Locale.ROOT, "Flink web UI on http://%s:%d", host, webUi.port()),
                dashboard == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", dashboard on http://%s:%d",
                                host,
                                dashboard.port()));
    }

    /**
     * The error a failed job ends the run with: a {@link UserError} or {@code UnrecoverableFailure}
     * as it is, a restore that the graph does not fit as a {@link UserError}, anything else as one
     * line naming the last cause after the restarts ran out.
     */
    static Exception failure(ResumePlan plan, ExecutionException e) {
        if (ExceptionUtils.findThrowable(
                        e, t -> t instanceof UserError || t instanceof UnrecoverableFailure)
                .isPresent()) {
            return e;
        }
        String cause = oneLine(ExceptionUtils.findThrowable(e, t -> t.getCause() == null).get());
        if (plan.restoreFrom != null
                && ExceptionUtils.findThrowable(e, JobInitializationException.class).isPresent()) {
            return new UserError(
                    "cannot restore "
                            + plan.restoreFrom
                            + " ("
                            + cause
                            + "); start over with --fresh or choose another --output",
                    e);
        }
        return new UserError("the job failed and was not restarted again: " + cause, e);
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > 300) {
            message = message.substring(0, 297) + "...";
        }
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** The line a run stopped with Ctrl-C ends with. */
    static final class StopSummary {
        private StopSummary() {}

        static String of(JobExecutionResult result, long elapsedNanos, String outputs, String at) {
            return String.format(
                    Locale.ROOT,
                    "Stopped after %.1f s with a savepoint in %s; this run read %d events (%d"
                            + " invalid) and wrote %d metric points and %d alerts to %s; run the"
                            + " same command to resume",
                    elapsedNanos / 1e9,
                    at,
                    MonitoringJob.count(result, SplitInput.EVENTS_READ),
                    MonitoringJob.count(result, SplitInput.INVALID_EVENTS),
                    MonitoringJob.count(result, MonitoringJob.METRICS_WRITTEN),
                    MonitoringJob.count(result, MonitoringJob.ALERTS_WRITTEN),
                    outputs);
        }
    }
}
