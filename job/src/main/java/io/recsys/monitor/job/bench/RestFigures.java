package io.recsys.monitor.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the bench's figures out of the answers of Flink's REST API (1.20): {@code /jobs/:id} for
 * the tasks of the job graph, {@code /jobs/:id/vertices/:vid} for each task's subtasks, and {@code
 * /jobs/:id/checkpoints}. After the job ends these hold the final, accumulated values.
 */
final class RestFigures {
    private RestFigures() {}

    /**
     * Busy time per task: each subtask's {@code accumulated-busy-time} over the time it was
     * RUNNING, summed over the subtasks, as milliseconds per second; the busiest subtask's the same
     * way; records in and out from the task's totals; whether the task is keyed (an input of its
     * job plan node is shipped by {@code HASH}). Keys are the task names (chained operators joined
     * by arrows), in graph order.
     *
     * @param vertices the answer of {@code /jobs/:id/vertices/:vid} per vertex id
     */
    static Map<String, BenchReport.OperatorLoad> operators(
            JsonNode job, Map<String, JsonNode> vertices) {
        Map<String, BenchReport.OperatorLoad> loads = new LinkedHashMap<>();
        Set<String> keyed = new HashSet<>();
        for (JsonNode node : job.path("plan").path("nodes")) {
            for (JsonNode input : node.path("inputs")) {
                if ("HASH".equals(input.path("ship_strategy").asText())) {
                    keyed.add(node.path("id").asText());
                }
            }
        }
        for (JsonNode vertex : job.path("vertices")) {
            BenchReport.OperatorLoad load = new BenchReport.OperatorLoad();
            load.parallelism = vertex.path("parallelism").asInt();
            JsonNode totals = vertex.path("metrics");
            load.recordsIn = totals.path("read-records").asLong();
            load.recordsOut = totals.path("write-records").asLong();
            double busy = 0;
            double backPressured = 0;
            double running = 0;
            load.keyed = keyed.contains(vertex.path("id").asText());
            JsonNode details = vertices.get(vertex.path("id").asText());
            if (details != null) {
                for (JsonNode subtask : details.path("subtasks")) {
                    JsonNode metrics = subtask.path("metrics");
                    double subtaskBusy = metrics.path("accumulated-busy-time").asDouble();
                    busy += subtaskBusy;
                    backPressured += metrics.path("accumulated-backpressured-time").asDouble();
                    JsonNode runningMs = subtask.path("status-duration").path("RUNNING");
                    double subtaskRunning =
                            runningMs.isNumber()
                                    ? runningMs.asDouble()
                                    : subtask.path("duration").asDouble();
                    running += subtaskRunning;
                    if (subtaskRunning > 0) {
                        load.busiestSubtaskMsPerSecond =
                                Math.max(
                                        load.busiestSubtaskMsPerSecond,
                                        1000.0 * subtaskBusy / subtaskRunning);
                    }
                }
            }
            if (running > 0) {
                load.busyMsPerSecond = 1000.0 * busy / running;
                load.backPressuredMsPerSecond = 1000.0 * backPressured / running;
            }
            loads.put(vertex.path("name").asText(), load);
        }
        return loads;
    }

    /**
     * The state each task held in one checkpoint, from {@code /jobs/:id/checkpoints/details/:cid}:
     * its {@code state_size} by vertex id, put on the task of that id in {@code loads} (keyed by
     * task name, as {@link #operators} made them).
     */
    static void taskState(
            JsonNode job, JsonNode checkpointDetails, Map<String, BenchReport.OperatorLoad> loads) {
        JsonNode tasks = checkpointDetails.path("tasks");
        for (JsonNode vertex : job.path("vertices")) {
            JsonNode task = tasks.path(vertex.path("id").asText());
            BenchReport.OperatorLoad load = loads.get(vertex.path("name").asText());
            if (load != null && task.path("state_size").isNumber()) {
                load.stateBytes = task.path("state_size").asLong();
            }
        }
    }

    /**
     * The id of the completed checkpoint with the most state in the run's history (the one the
     * figures' largest state comes from), else the latest completed; -1 when none completed.
     */
    static long largestCompleted(JsonNode checkpoints) {
        long id = -1;
        long largest = -1;
        for (JsonNode checkpoint : checkpoints.path("history")) {
            if ("COMPLETED".equals(checkpoint.path("status").asText())
                    && checkpoint.path("state_size").asLong(-1) > largest) {
                largest = checkpoint.path("state_size").asLong();
                id = checkpoint.path("id").asLong();
            }
        }
        JsonNode latest = checkpoints.path("latest").path("completed");
        if (id < 0 && latest.path("id").isNumber()) {
            id = latest.path("id").asLong();
        }
        return id;
    }

    /**
     * Completed and failed counts; the largest state, the slowest and the median checkpoint of the
     * completed.
     */
    static BenchReport.CheckpointFigures checkpoints(JsonNode checkpoints) {
        BenchReport.CheckpointFigures figures = new BenchReport.CheckpointFigures();
        figures.completed = checkpoints.path("counts").path("completed").asLong();
        figures.failed = checkpoints.path("counts").path("failed").asLong();
        if (figures.completed > 0) {
            JsonNode summary = checkpoints.path("summary");
            figures.stateBytes = summary.path("state_size").path("max").asLong();
            figures.checkpointedBytes = summary.path("checkpointed_size").path("max").asLong();
            figures.maxDurationMs = summary.path("end_to_end_duration").path("max").asLong();
            figures.averageDurationMs = summary.path("end_to_end_duration").path("avg").asLong();
            JsonNode median = summary.path("end_to_end_duration").path("p50");
            // Flink reports percentiles as doubles (NaN when there are none).
            if (median.isNumber() && !Double.isNaN(median.asDouble())) {
                figures.medianDurationMs = Math.round(median.asDouble());
            }
        }
        return figures;
    }

    /**
     * Splits the checkpoints of {@code /jobs/:id/checkpoints}'s history at {@code inputEndedMillis}
     * (wall-clock milliseconds, as Flink's {@code trigger_timestamp}): those triggered while the
     * input was read and those triggered after, each with its counts and the slowest and median
     * completed; the failures that have no history entry (Flink records a checkpoint only once it
     * has started) and the failure messages of those that have. The history must hold every
     * checkpoint of the run ({@code web.checkpoints.history}).
     */
    static void phases(
            JsonNode checkpoints, long inputEndedMillis, BenchReport.CheckpointFigures figures) {
        List<Long> reading = new ArrayList<>();
        List<Long> ended = new ArrayList<>();
        long failedInHistory = 0;
        for (JsonNode checkpoint : checkpoints.path("history")) {
            boolean afterEnd = checkpoint.path("trigger_timestamp").asLong() >= inputEndedMillis;
            BenchReport.Phase phase = afterEnd ? figures.afterInputEnded : figures.whileReading;
            String status = checkpoint.path("status").asText();
            if ("COMPLETED".equals(status)) {
                phase.completed++;
                (afterEnd ? ended : reading).add(checkpoint.path("end_to_end_duration").asLong());
            } else if ("FAILED".equals(status)) {
                phase.failed++;
                failedInHistory++;
                String reason = checkpoint.path("failure_message").asText("");
                figures.failureReasons.merge(
                        reason.isBlank() ? "(no message)" : reason, 1L, Long::sum);
            }
        }
        durations(reading, figures.whileReading);
        durations(ended, figures.afterInputEnded);
        figures.failedBeforeStart =
                Math.max(0, checkpoints.path("counts").path("failed").asLong() - failedInHistory);
    }

    private static void durations(List<Long> millis, BenchReport.Phase phase) {
        if (millis.isEmpty()) {
            return;
        }
        Collections.sort(millis);
        phase.maxDurationMs = millis.get(millis.size() - 1);
        phase.medianDurationMs = millis.get((millis.size() - 1) / 2);
    }
}
