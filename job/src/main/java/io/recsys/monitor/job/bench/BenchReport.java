package io.recsys.monitor.job.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one bench run and what follows from them: sustained events per second, CPU as a
 * share of one core and of the machine, the busy time of every task of the job graph, heap, state
 * and checkpoints, and the machine they were measured on. Pure values, no Flink or cluster types:
 * {@link BenchRun} measures, this class computes, prints and writes JSON.
 */
public final class BenchReport {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was replayed and how. */
    public long events;

    public long inputBytes;
    public int features;
    public int parallelism;
    public long checkpointIntervalMs;

    /** hashmap (heap, full checkpoints) or rocksdb (incremental checkpoints). */
    public String stateBackend = "hashmap";

    /** Where the records went: discard, files, or dashboard ({@link BenchOutputs}). */
    public String outputs = "discard";

    public String outputsDescription = "records discarded";

    /** What the live dashboard did and cost; null when the run had none. */
    public DashboardLoad dashboard;

    /** Event time from the first to the last event of the input. */
    public long eventTimeSpanMillis;

    /** From the first record replayed to the end of the job. */
    public long wallNanos;

    /** CPU time of this process over {@link #wallNanos}. */
    public long cpuNanos;

    /** Part of {@link #wallNanos} the last records waited for a first checkpoint (short runs). */
    public long heldNanos;

    /** Events the job counted as read (its {@code events-read} accumulator). */
    public long eventsRead;

    public long metricPoints;
    public long alerts;
    public long deadLetters;

    /** Peak heap in use during the run, input included. */
    public long heapBytes;

    public long gcCount;
    public long gcMillis;

    /** Tasks of the job graph (operators chained into one task share a name with arrows). */
    public Map<String, OperatorLoad> operators = new LinkedHashMap<>();

    public CheckpointFigures checkpoints = new CheckpointFigures();
    public Machine machine = new Machine();

    /** Events per second of wall-clock time from the first record to the end of the job. */
    public double eventsPerSecond() {
        return wallNanos <= 0 ? 0.0 : events * 1e9 / wallNanos;
    }

    /**
     * Events per second of CPU time: what the job costs, less sensitive than {@link
     * #eventsPerSecond()} to other processes taking cores from the run.
     */
    public double eventsPerCpuSecond() {
        return cpuNanos <= 0 ? 0.0 : events * 1e9 / cpuNanos;
    }

    /** The rate at which the input's events happened: the live rate of this traffic. */
    public double liveEventsPerSecond() {
        return eventTimeSpanMillis <= 0 ? 0.0 : events * 1000.0 / eventTimeSpanMillis;
    }

    /**
     * How many times faster than it happened the job worked through the input: the pace at which it
     * catches up a backlog of this traffic, as after an outage.
     */
    public double timesLiveRate() {
        double live = liveEventsPerSecond();
        return live <= 0 ? 0.0 : eventsPerSecond() / live;
    }

    /** CPU used as a percentage of one core (200 = two cores busy). */
    public double cpuPercentOfOneCore() {
        return wallNanos <= 0 ? 0.0 : 100.0 * cpuNanos / wallNanos;
    }

    /** CPU used as a percentage of all the machine's cores. */
    public double cpuPercentOfAllCores() {
        return machine.cores <= 0 ? 0.0 : cpuPercentOfOneCore() / machine.cores;
    }

    /**
     * Whether every keyed task is {@linkplain OperatorLoad#isBalanced balanced}: no key keeps one
     * subtask busy while the others wait, so that more parallelism would add throughput.
     */
    public boolean keyedStagesBalanced() {
        return operators.values().stream().filter(l -> l.keyed).allMatch(OperatorLoad::isBalanced);
    }

    /** The dashboard's threads' CPU time as a percentage of the run's; 0 without a dashboard. */
    public double dashboardCpuPercent() {
        return dashboard == null || cpuNanos <= 0 ? 0.0 : 100.0 * dashboard.cpuNanos / cpuNanos;
    }

    public double meanEventBytes() {
        return events == 0 ? 0.0 : (double) inputBytes / events;
    }

    /** The report as the JSON object {@code --output} writes. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("events_per_second", round(eventsPerSecond(), 1));
        root.put("cpu_percent", round(cpuPercentOfOneCore(), 1));
        root.put("cpu_percent_of_all_cores", round(cpuPercentOfAllCores(), 1));
        root.put("events_per_cpu_second", round(eventsPerCpuSecond(), 1));
        root.put("event_time_seconds", round(eventTimeSpanMillis / 1000.0, 3));
        root.put("live_events_per_second", round(liveEventsPerSecond(), 1));
        root.put("times_live_rate", round(timesLiveRate(), 2));
        ObjectNode ops = root.putObject("operators");
        for (Map.Entry<String, OperatorLoad> e : operators.entrySet()) {
            OperatorLoad load = e.getValue();
            ObjectNode op = ops.putObject(e.getKey());
            op.put("parallelism", load.parallelism);
            op.put("busy_ms_per_second", round(load.busyMsPerSecond, 1));
            op.put("busy_fraction", round(load.busyMsPerSecond / 1000.0, 4));
            op.put("keyed", load.keyed);
            op.put("busiest_subtask_busy_ms_per_second", round(load.busiestSubtaskMsPerSecond, 1));
            op.put("busiest_to_mean", round(load.busiestToMean(), 2));
            op.put("balanced", load.isBalanced());
            op.put("backpressured_ms_per_second", round(load.backPressuredMsPerSecond, 1));
            op.put("records_in", load.recordsIn);
            op.put("records_out", load.recordsOut);
            putOrNull(op, "state_bytes", load.stateBytes);
        }
        root.put("keyed_stages_balanced", keyedStagesBalanced());
        root.put("heap_bytes", heapBytes);
        putOrNull(root, "state_bytes", checkpoints.stateBytes);
        putOrNull(root, "checkpoint_bytes", checkpoints.checkpointedBytes);
        putOrNull(root, "checkpoint_ms", checkpoints.maxDurationMs);
        root.put("checkpoints_completed", checkpoints.completed);
        root.put("checkpoints_failed", checkpoints.failed);
        putOrNull(root, "checkpoint_ms_avg", checkpoints.averageDurationMs);
        putOrNull(root, "checkpoint_ms_p50", checkpoints.medianDurationMs);
        phase(root.putObject("checkpoints_while_reading"), checkpoints.whileReading);
        phase(root.putObject("checkpoints_after_input_ended"), checkpoints.afterInputEnded);
        root.put("checkpoints_failed_before_start", checkpoints.failedBeforeStart);
        ObjectNode reasons = root.putObject("checkpoint_failure_reasons");
        checkpoints.failureReasons.forEach(reasons::put);
        ObjectNode m = root.putObject("machine");
        m.put("cores", machine.cores);
        m.put("memory_bytes", machine.memoryBytes);
        m.put("max_heap_bytes", machine.maxHeapBytes);
        m.put("jvm", machine.jvm);
        m.put("os", machine.os);
        m.put("load_average_at_start", round(machine.loadAverageAtStart, 2));
        root.put("events", events);
        root.put("input_bytes", inputBytes);
        root.put("mean_event_bytes", round(meanEventBytes(), 1));
        root.put("features", features);
        root.put("parallelism", parallelism);
        root.put("checkpoint_interval_ms", checkpointIntervalMs);
        root.put("state_backend", stateBackend);
        root.put("outputs", outputs);
        if (dashboard == null) {
            root.putNull("dashboard");
        } else {
            ObjectNode d = root.putObject("dashboard");
            d.put("poll_interval_ms", dashboard.pollIntervalMs);
            d.put("requests", dashboard.requests);
            d.put("full_answers", dashboard.fullAnswers);
            d.put("failed_requests", dashboard.failedRequests);
            d.put("bytes", dashboard.bytes);
            d.put("records", dashboard.records);
            d.put("cpu_seconds", round(dashboard.cpuNanos / 1e9, 3));
            d.put("cpu_percent_of_run", round(dashboardCpuPercent(), 2));
        }
        root.put("wall_seconds", round(wallNanos / 1e9, 3));
        root.put("cpu_seconds", round(cpuNanos / 1e9, 3));
        root.put("held_for_checkpoint_ms", heldNanos / 1_000_000);
        root.put("events_read", eventsRead);
        root.put("metric_points", metricPoints);
        root.put("alerts", alerts);
        root.put("dead_letters", deadLetters);
        root.put("gc_count", gcCount);
        root.put("gc_ms", gcMillis);
        return root;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(toJson()) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String phase(Phase phase) {
        return String.format(
                Locale.ROOT,
                "%d completed (%d failed)%s",
                phase.completed,
                phase.failed,
                phase.maxDurationMs == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", slowest %d ms, median %d ms",
                                phase.maxDurationMs,
                                phase.medianDurationMs));
    }

    /** The report for a person. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        line(
                sb,
                "%,d events (%.0f bytes each on average, %d features) through the whole job at"
                        + " parallelism %d, checkpoints every %.1f s (%s state backend), outputs"
                        + " %s (%s)",
                events,
                meanEventBytes(),
                features,
                parallelism,
                checkpointIntervalMs / 1000.0,
                stateBackend,
                outputs,
                outputsDescription);
        line(
                sb,
                "  throughput   %,.0f events/s sustained (%.2f s from the first record to the end"
                        + " of the job%s)",
                eventsPerSecond(),
                wallNanos / 1e9,
                heldNanos > 0
                        ? String.format(
                                Locale.ROOT,
                                "; the last records waited %.2f s for a first checkpoint",
                                heldNanos / 1e9)
                        : "");
        if (eventTimeSpanMillis > 0) {
            line(
                    sb,
                    "  catch-up     the input happened over %.0f s of event time (%,.0f events/s"
                            + " live); the job went through it at %.1f times that rate",
                    eventTimeSpanMillis / 1000.0,
                    liveEventsPerSecond(),
                    timesLiveRate());
        }
        line(
                sb,
                "  cpu          %.0f %% of one core, %.0f %% of %d cores (%,.0f events per CPU"
                        + " second; load average %.2f at the start)",
                cpuPercentOfOneCore(),
                cpuPercentOfAllCores(),
                machine.cores,
                eventsPerCpuSecond(),
                machine.loadAverageAtStart);
        line(
                sb,
                "  heap         %s peak in use (input included), %d GCs taking %d ms",
                bytes(heapBytes),
                gcCount,
                gcMillis);
        if (checkpoints.completed > 0) {
            line(
                    sb,
                    "  checkpoints  %d completed (%d failed); largest state %s, checkpointed %s,"
                            + " slowest %d ms (median %s ms, average %d ms)",
                    checkpoints.completed,
                    checkpoints.failed,
                    bytes(checkpoints.stateBytes),
                    bytes(checkpoints.checkpointedBytes),
                    checkpoints.maxDurationMs,
                    checkpoints.medianDurationMs == null ? "?" : checkpoints.medianDurationMs,
                    checkpoints.averageDurationMs);
        } else {
            line(sb, "  checkpoints  none completed");
        }
        line(
                sb,
                "               while the input was read: %s; after it ended (every timer fires at"
                        + " once): %s; %d failed before they started",
                phase(checkpoints.whileReading),
                phase(checkpoints.afterInputEnded),
                checkpoints.failedBeforeStart);
        checkpoints.failureReasons.forEach(
                (reason, count) -> line(sb, "               %d failed: %s", count, reason));
        line(
                sb,
                "  output       %,d events read by the job, %,d metric points, %,d alerts, %,d"
                        + " dead letters (%s)",
                eventsRead,
                metricPoints,
                alerts,
                deadLetters,
                outputsDescription);
        if (dashboard != null) {
            line(
                    sb,
                    "  dashboard    %,d requests for data.json, one %.0f s after each answer as the"
                            + " page asks (%,d with new data, %s; %,d failed), %,d records read;"
                            + " its threads used %.2f s of CPU, %.2f %% of the run's",
                    dashboard.requests,
                    dashboard.pollIntervalMs / 1000.0,
                    dashboard.fullAnswers,
                    bytes(dashboard.bytes),
                    dashboard.failedRequests,
                    dashboard.records,
                    dashboard.cpuNanos / 1e9,
                    dashboardCpuPercent());
        }
        line(
                sb,
                "  busy time per task (ms per second of each subtask: mean over the subtasks,"
                        + " busiest subtask and their ratio; K for a keyed task), and its state in"
                        + " the largest checkpoint:");
        for (Map.Entry<String, OperatorLoad> e : operators.entrySet()) {
            OperatorLoad load = e.getValue();
            line(
                    sb,
                    "    %6.1f  %6.1f  %5.2fx %s  x%d  %9s  %s%s",
                    load.busyMsPerSecond,
                    load.busiestSubtaskMsPerSecond,
                    load.busiestToMean(),
                    load.keyed ? "K" : " ",
                    load.parallelism,
                    load.stateBytes == null ? "-" : bytes(load.stateBytes),
                    e.getKey(),
                    load.backPressuredMsPerSecond >= 1.0
                            ? String.format(
                                    Locale.ROOT,
                                    " (back-pressured %.0f ms/s)",
                                    load.backPressuredMsPerSecond)
                            : "");
        }
        line(
                sb,
                "  balance      keyed tasks' busiest subtask at most %.1f times their mean (or under"
                        + " %.0f ms/s, or under %d records per subtask): %s",
                OperatorLoad.MAX_BUSIEST_TO_MEAN,
                OperatorLoad.IDLE_MS_PER_SECOND,
                OperatorLoad.MIN_RECORDS_PER_SUBTASK,
                keyedStagesBalanced() ? "yes" : "no");
        line(
                sb,
                "  machine      %d cores, %s memory, JVM %s (max heap %s), %s",
                machine.cores,
                bytes(machine.memoryBytes),
                machine.jvm,
                bytes(machine.maxHeapBytes),
                machine.os);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "n/a";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static void phase(ObjectNode node, Phase phase) {
        node.put("completed", phase.completed);
        node.put("failed", phase.failed);
        putOrNull(node, "checkpoint_ms", phase.maxDurationMs);
        putOrNull(node, "checkpoint_ms_p50", phase.medianDurationMs);
    }

    private static void putOrNull(ObjectNode node, String key, Long value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /** The load of one task of the job graph over the run. */
    public static final class OperatorLoad {
        /** A keyed task is balanced when its busiest subtask is at most this times the mean... */
        public static final double MAX_BUSIEST_TO_MEAN = 1.5;

        /** ...or when it is busy less than this, too little for its balance to matter. */
        public static final double IDLE_MS_PER_SECOND = 100.0;

        /**
         * ...or when it read fewer records than this per subtask: there is no key's load to
         * balance, and Flink counts the wait of a task whose input ended early (the reference
         * profiles' hand-off reads one record or none) as busy time.
         */
        public static final long MIN_RECORDS_PER_SUBTASK = 10;

        public int parallelism;

        /** Whether the task's input is partitioned by key (a hot key loads one subtask). */
        public boolean keyed;

        /** Busy milliseconds per second of run time, averaged over the subtasks (0 to 1000). */
        public double busyMsPerSecond;

        /** Busy milliseconds per second of run time of the busiest subtask. */
        public double busiestSubtaskMsPerSecond;

        public double backPressuredMsPerSecond;
        public long recordsIn;
        public long recordsOut;

        /** State of all subtasks in the largest completed checkpoint; null when none completed. */
        public Long stateBytes;

        /** The busiest subtask's busy time over the mean's: 1 when perfectly even; 0 when idle. */
        public double busiestToMean() {
            return busyMsPerSecond <= 0 ? 0.0 : busiestSubtaskMsPerSecond / busyMsPerSecond;
        }

        /**
         * Whether the busiest subtask is at most {@value #MAX_BUSIEST_TO_MEAN} times the mean, or
         * the busiest is under {@value #IDLE_MS_PER_SECOND} ms/s, or the task read fewer than
         * {@value #MIN_RECORDS_PER_SUBTASK} records per subtask.
         */
        public boolean isBalanced() {
            return recordsIn < MIN_RECORDS_PER_SUBTASK * Math.max(1, parallelism)
                    || busiestSubtaskMsPerSecond < IDLE_MS_PER_SECOND
                    || busiestToMean() <= MAX_BUSIEST_TO_MEAN;
        }
    }

    /** What the live dashboard of a bench run did, and the CPU its threads took. */
    public static final class DashboardLoad {
        /** How long the client waited after each answer, as the page does. */
        public long pollIntervalMs;

        public long requests;

        /** Answers with the data object (the others said that nothing had changed). */
        public long fullAnswers;

        public long failedRequests;

        /** Bytes of the data objects received. */
        public long bytes;

        /** Records the dashboard had read from the output files by the end of the job. */
        public long records;

        /** CPU of the server's threads and the client's while the job ran. */
        public long cpuNanos;
    }

    /** The run's completed checkpoints; sizes and durations are null while none completed. */
    public static final class CheckpointFigures {
        public long completed;

        /** Checkpoints that failed, e.g. triggered while a finished task was shutting down. */
        public long failed;

        /** Full size of the largest completed checkpoint's state. */
        public Long stateBytes;

        /** Bytes the largest completed checkpoint wrote (all of it for the hashmap backend). */
        public Long checkpointedBytes;

        /** End-to-end duration of the slowest completed checkpoint. */
        public Long maxDurationMs;

        public Long averageDurationMs;

        /** End-to-end duration of the median completed checkpoint (p50). */
        public Long medianDurationMs;

        /** Checkpoints triggered while the input was still being read: the backlog itself. */
        public Phase whileReading = new Phase();

        /**
         * Checkpoints triggered after the last line of the input was read. The end of a bounded
         * input fires every timer at once (the attribution windows of all requests still in flight,
         * every open window), which a stream that goes on never does.
         */
        public Phase afterInputEnded = new Phase();

        /**
         * Failed checkpoints that never started, so that Flink keeps no record of them: a trigger
         * refused, e.g. while the tasks were still starting.
         */
        public long failedBeforeStart;

        /** The failure messages of the failed checkpoints that started, with their counts. */
        public Map<String, Long> failureReasons = new LinkedHashMap<>();
    }

    /** The checkpoints triggered in one phase of the run. */
    public static final class Phase {
        public long completed;
        public long failed;

        /** End-to-end duration of the slowest completed; null when none completed. */
        public Long maxDurationMs;

        /** End-to-end duration of the median completed (the lower of two middles). */
        public Long medianDurationMs;
    }

    /** Where the figures were measured. */
    public static final class Machine {
        public int cores;
        public long memoryBytes;
        public long maxHeapBytes;
        public String jvm = "";
        public String os = "";

        /**
         * The system's one-minute load average when the job started (negative where unknown): a
         * load near or above {@link #cores} means other processes shared the cores.
         */
        public double loadAverageAtStart = -1;

        /** This machine and JVM. */
        public static Machine current() {
            Machine m = new Machine();
            m.cores = Runtime.getRuntime().availableProcessors();
            java.lang.management.OperatingSystemMXBean os =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                m.memoryBytes =
                        ((com.sun.management.OperatingSystemMXBean) os)
                                .getTotalPhysicalMemorySize();
            }
            m.maxHeapBytes = Runtime.getRuntime().maxMemory();
            m.loadAverageAtStart = os.getSystemLoadAverage();
            m.jvm =
                    System.getProperty("java.vm.name")
                            + " "
                            + System.getProperty("java.runtime.version");
            m.os =
                    System.getProperty("os.name")
                            + " "
                            + System.getProperty("os.version")
                            + " "
                            + System.getProperty("os.arch");
            return m;
        }
    }
}
