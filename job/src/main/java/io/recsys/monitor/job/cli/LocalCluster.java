package io.recsys.monitor.job.cli;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.lifecycle.ResumePlan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.RestoreMode;

/**
 * The Flink configuration of the embedded cluster that {@code run} starts: closed by default.
 *
 * <p>Flink's own defaults suit a cluster behind a firewall, not a laptop: the REST endpoint and the
 * blob server listen on every interface, and the REST API accepts jobs with their jars (whose code
 * then runs inside the monitoring process), cancels jobs and shuts the cluster down. Here every
 * port of the cluster listens on 127.0.0.1 only; the web UI that the user opens is a {@link
 * io.recsys.monitor.job.web.WebUiGate} in front of the REST endpoint, on {@code job.bind-address}
 * and {@code job.web-ui-port}, which lets through what {@code job.web-submit} and {@code
 * job.web-cancel} allow. Flink's own switches for the same are set as well, so that its UI shows no
 * button that would be refused.
 */
public final class LocalCluster {
    /** Where the cluster's own ports listen, whatever the web UI's address. */
    static final String LOOPBACK = "127.0.0.1";

    private LocalCluster() {}

    /**
     * The configuration of a local run of {@code config}, its REST endpoint on {@code restPort}.
     */
    public static Configuration configuration(MonitorConfig config, int restPort) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, restPort);
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        // The blob server and the RPC endpoints of the job manager and task manager.
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(WebOptions.SUBMIT_ENABLE, config.get(Settings.WEB_SUBMIT));
        conf.set(WebOptions.CANCEL_ENABLE, config.get(Settings.WEB_CANCEL));
        // Every record type must be a Flink POJO or basic type: fail at start, not slow at run.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * Adds what lets a local run survive a crash: checkpoints of {@code job.state-backend} every
     * {@code job.checkpoint-interval} into {@code checkpointRoot}, retained when the job is
     * cancelled, a few failed checkpoints tolerated, restarts with an exponential delay and a limit
     * of attempts, the job id of {@code plan} (its checkpoints land in {@code <checkpointRoot>/<job
     * id>}) and the checkpoint or savepoint it restores.
     */
    public static void durability(
            Configuration conf,
            MonitorConfig config,
            Path checkpointRoot,
            Path savepoints,
            ResumePlan plan) {
        boolean rocksdb = "rocksdb".equals(config.get(Settings.STATE_BACKEND));
        conf.set(StateBackendOptions.STATE_BACKEND, rocksdb ? "rocksdb" : "hashmap");
        if (rocksdb) {
            RocksDbTuning.apply(conf);
        }
        // RocksDB uploads only the files a checkpoint adds; the heap writes its state in full.
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, rocksdb);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                checkpointRoot.toAbsolutePath().toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                savepoints.toAbsolutePath().toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                config.get(Settings.CHECKPOINT_INTERVAL));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                config.get(Settings.CHECKPOINT_TIMEOUT));
        conf.set(
                CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                config.get(Settings.TOLERABLE_CHECKPOINT_FAILURES));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                config.get(Settings.RESTART_MAX_DELAY));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                config.get(Settings.RESTART_ATTEMPTS));
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, plan.jobId);
        if (plan.restoreFrom != null) {
            conf.set(
                    StateRecoveryOptions.SAVEPOINT_PATH,
                    plan.restoreFrom.toAbsolutePath().toUri().toString());
            conf.set(
                    StateRecoveryOptions.RESTORE_MODE,
                    plan.claim ? RestoreMode.CLAIM : RestoreMode.NO_CLAIM);
        }
    }

    /** A free port on the loopback address for the REST endpoint behind the web UI. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    /** The host a browser on this machine uses to reach a UI listening on {@code bindAddress}. */
    public static String browserHost(String bindAddress) {
        String host =
                bindAddress.equals("0.0.0.0") || bindAddress.equals("::")
                        ? "localhost"
                        : bindAddress;
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
