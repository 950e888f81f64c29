package io.recsys.monitor.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSinks;
import io.recsys.monitor.job.MonitoringJob;
import io.recsys.monitor.job.state.BacklogCheckpoints;
import io.recsys.monitor.job.state.RocksDbMemory;
import io.recsys.monitor.operators.ingest.SplitInput;
import io.recsys.monitor.operators.reference.ReferenceProfileJson;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * Runs the complete monitoring job ({@link MonitoringJob#build}) over a pre-generated workload on a
 * local mini-cluster, with checkpoints on, into sinks that discard or into the files of a local run
 * ({@link BenchOutputs}, optionally with the live dashboard serving them), and measures it: wall
 * and CPU time from the first record to the end of the job, peak heap, and, from the cluster's REST
 * API, the busy time of every task and the checkpoint figures. Drift runs against the reference
 * profile of the workload itself, written to a temporary file as {@code reference build} would.
 *
 * <p>Checkpoints go to a temporary directory, through the hashmap state backend (state on the heap,
 * full snapshots) or, with {@code rocksdb}, through RocksDB with incremental checkpoints, which is
 * what Managed Service for Apache Flink runs.
 */
public final class BenchRun {
    private static final long POLL_MILLIS = 100;

    private final MonitorConfig config;
    private final BenchWorkload workload;
    private final String stateBackend;
    private final BenchOutputs outputs;

    public BenchRun(MonitorConfig config, BenchWorkload workload) {
        this(config, workload, "hashmap", BenchOutputs.DISCARD);
    }

    /**
     * With {@code stateBackend} hashmap or rocksdb (incremental checkpoints), the job writing to
     * {@code outputs}.
     */
    public BenchRun(
            MonitorConfig config,
            BenchWorkload workload,
            String stateBackend,
            BenchOutputs outputs) {
        if (!"hashmap".equals(stateBackend) && !"rocksdb".equals(stateBackend)) {
            throw new IllegalArgumentException(
                    "state backend must be hashmap or rocksdb, got " + stateBackend);
        }
        this.config = config;
        this.workload = workload;
        this.stateBackend = stateBackend;
        this.outputs = outputs;
    }

    public BenchReport run() throws Exception {
        int parallelism = config.get(Settings.PARALLELISM);
        long interval = config.get(Settings.CHECKPOINT_INTERVAL).toMillis();
        Path work = Files.createTempDirectory("recsys-bench");
        try {
            MonitorConfig jobConfig = config;
            if (workload.reference() != null) {
                Path reference = work.resolve("reference.json");
                Files.write(
                        reference,
                        ReferenceProfileJson.write(workload.reference())
                                .getBytes(StandardCharsets.UTF_8));
                jobConfig = config.with(Settings.DRIFT_REFERENCE.key(), reference.toString());
            }
            return run(jobConfig, parallelism, interval, work);
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    private BenchReport run(MonitorConfig jobConfig, int parallelism, long interval, Path work)
            throws Exception {
        Configuration cluster = clusterConfiguration(stateBackend, parallelism, work);

        MiniClusterConfiguration clusterConfig =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(cluster)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(parallelism)
                        .build();
        ReplayInput input = ReplayInput.register(workload.lines(), parallelism, jobConfig);
        try (MiniCluster miniCluster = new MiniCluster(clusterConfig)) {
            miniCluster.start();
            Path outputDir = work.resolve("outputs");
            JobGraph jobGraph =
                    jobGraph(
                            jobConfig,
                            input,
                            outputs.sinks(outputDir),
                            parallelism,
                            interval,
                            cluster);
            FlinkRest rest = new FlinkRest(miniCluster.getRestAddress().get());
            try (BenchDashboard dashboard =
                    outputs == BenchOutputs.DASHBOARD
                            ? BenchDashboard.start(outputDir, jobConfig.alarmCatalog())
                            : null) {
                return measure(
                        miniCluster, rest, jobGraph, input, parallelism, interval, dashboard);
            }
        } finally {
            input.release();
        }
    }

    /**
     * The configuration of the bench's mini-cluster (and, overlaid, of its job): one slot per
     * subtask, the REST API on the loopback, {@code stateBackend} with RocksDB's memory and
     * incremental checkpoints as a local run has them, checkpoints under {@code work}.
     */
    static Configuration clusterConfiguration(String stateBackend, int parallelism, Path work) {
        Configuration cluster = new Configuration();
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        cluster.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        cluster.set(RestOptions.ADDRESS, "127.0.0.1");
        cluster.set(RestOptions.BIND_PORT, "0");
        // Every checkpoint of the run in the history, not the last 10: the figures split them.
        cluster.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
        // The REST API caches task metrics for this long; the default is 10 s.
        cluster.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, java.time.Duration.ofSeconds(1));
        cluster.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        RocksDbMemory.configure(cluster, stateBackend, parallelism);
        BacklogCheckpoints.configure(cluster);
        // Incremental checkpoints write what changed since the last one (RocksDB only).
        cluster.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "rocksdb".equals(stateBackend));
        cluster.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        cluster.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                work.resolve("checkpoints").toUri().toString());
        return cluster;
    }

    private static JobGraph jobGraph(
            MonitorConfig jobConfig,
            ReplayInput input,
            MonitorSinks sinks,
            int parallelism,
            long interval,
            Configuration cluster) {
        Configuration conf = new Configuration(cluster);
        // As the run command: every record type a POJO or basic type, never Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(interval);
        MonitoringJob.build(env, input, sinks, jobConfig);
        return env.getStreamGraph().getJobGraph();
    }

    private BenchReport measure(
            MiniCluster miniCluster,
            FlinkRest rest,
            JobGraph jobGraph,
            ReplayInput input,
            int parallelism,
            long interval,
            BenchDashboard dashboard)
            throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // Start from a clean heap: the generation's garbage is not the job's.
        System.gc();
        long gcCountBefore = gcTotal(GarbageCollectorMXBean::getCollectionCount);
        long gcMillisBefore = gcTotal(GarbageCollectorMXBean::getCollectionTime);

        BenchReport.Machine machine = BenchReport.Machine.current();
        JobID jobId = miniCluster.submitJob(jobGraph).get().getJobID();
        CompletableFuture<JobResult> result = miniCluster.requestJobResult(jobId);
        long cpuAtFirstRecord = -1;
        long observedFirstRecord = 0;
        long heapPeak = 0;
        JobResult done = null;
        while (done == null) {
            heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
            if (cpuAtFirstRecord < 0 && input.progress().firstRecordNanos() != 0) {
                cpuAtFirstRecord = os.getProcessCpuTime();
                observedFirstRecord = System.nanoTime();
            }
            try {
                done = result.get(cpuAtFirstRecord < 0 ? 5 : POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running
            }
        }
        long end = System.nanoTime();
        long cpuAtEnd = os.getProcessCpuTime();
        BenchReport.DashboardLoad dashboardLoad = dashboard == null ? null : dashboard.stop();
        heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        JobExecutionResult execution =
                done.toJobExecutionResult(Thread.currentThread().getContextClassLoader());

        BenchReport report = new BenchReport();
        report.events = workload.events();
        report.inputBytes = workload.bytes();
        report.eventTimeSpanMillis = workload.eventTimeSpanMillis();
        report.features = workload.features();
        report.parallelism = parallelism;
        report.checkpointIntervalMs = interval;
        report.stateBackend = stateBackend;
        report.outputs = outputs.label();
        report.outputsDescription = outputs.description();
        report.dashboard = dashboardLoad;
        report.wallNanos = end - input.progress().firstRecordNanos();
        long cpuWall = end - observedFirstRecord;
        // CPU over the part of the run it was sampled for, scaled to the whole run.
        report.cpuNanos =
                cpuWall <= 0
                        ? 0
                        : (long)
                                ((double) (cpuAtEnd - cpuAtFirstRecord)
                                        / cpuWall
                                        * report.wallNanos);
        report.heldNanos = input.progress().heldNanos();
        report.eventsRead = MonitoringJob.count(execution, SplitInput.EVENTS_READ);
        report.metricPoints = MonitoringJob.count(execution, MonitoringJob.METRICS_WRITTEN);
        report.alerts = MonitoringJob.count(execution, MonitoringJob.ALERTS_WRITTEN);
        report.deadLetters = MonitoringJob.count(execution, MonitoringJob.DEAD_LETTERS_WRITTEN);
        report.heapBytes = heapPeak;
        report.gcCount = gcTotal(GarbageCollectorMXBean::getCollectionCount) - gcCountBefore;
        report.gcMillis = gcTotal(GarbageCollectorMXBean::getCollectionTime) - gcMillisBefore;
        report.machine = machine;

        JsonNode job = rest.get("jobs/" + jobId);
        Map<String, JsonNode> vertices = new LinkedHashMap<>();
        for (JsonNode vertex : job.path("vertices")) {
            String id = vertex.path("id").asText();
            vertices.put(id, rest.get("jobs/" + jobId + "/vertices/" + id));
        }
        JsonNode checkpoints = rest.get("jobs/" + jobId + "/checkpoints");
        report.operators = RestFigures.operators(job, vertices);
        report.checkpoints = RestFigures.checkpoints(checkpoints);
        long inputEnded = input.progress().lastLineMillis();
        RestFigures.phases(
                checkpoints, inputEnded == 0 ? Long.MAX_VALUE : inputEnded, report.checkpoints);
        long largest = RestFigures.largestCompleted(checkpoints);
        if (largest >= 0) {
            RestFigures.taskState(
                    job,
                    rest.get("jobs/" + jobId + "/checkpoints/details/" + largest),
                    report.operators);
        }
        return report;
    }

    /** A figure summed over the garbage collectors, each counted from 0 where it is unknown. */
    private static long gcTotal(ToLongFunction<GarbageCollectorMXBean> figure) {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, figure.applyAsLong(gc)))
                .sum();
    }
}
