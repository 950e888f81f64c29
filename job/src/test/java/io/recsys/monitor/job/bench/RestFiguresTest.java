package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against answers of a Flink 1.20.3 mini-cluster, cut down to the fields the bench reads. */
class RestFiguresTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void busyTimeIsTheSubtasksBusyTimeOverTheirRunningTime() throws Exception {
        JsonNode job =
                json(
                        "{'vertices': [{'id': 'a', 'name': 'Alarm engine', 'parallelism': 2,"
                                + " 'metrics': {'read-records': 3366, 'write-records': 0,"
                                + " 'accumulated-busy-time': 885.0}},"
                                + " {'id': 'b', 'name': 'Unseen', 'parallelism': 1,"
                                + " 'metrics': {}}]}");
        Map<String, JsonNode> vertices = new HashMap<>();
        vertices.put(
                "a",
                json(
                        "{'subtasks': ["
                                + "{'subtask': 0, 'duration': 4142, 'status-duration':"
                                + " {'RUNNING': 3000}, 'metrics': {'accumulated-busy-time': 600.0,"
                                + " 'accumulated-backpressured-time': 30}},"
                                + "{'subtask': 1, 'duration': 2000, 'metrics':"
                                + " {'accumulated-busy-time': 285.0,"
                                + " 'accumulated-backpressured-time': 0}}]}"));
        Map<String, BenchReport.OperatorLoad> loads = RestFigures.operators(job, vertices);

        assertThat(loads).containsOnlyKeys("Alarm engine", "Unseen");
        BenchReport.OperatorLoad alarm = loads.get("Alarm engine");
        assertThat(alarm.parallelism).isEqualTo(2);
        // (600 + 285) ms busy over 3000 + 2000 ms running (the second without status durations).
        assertThat(alarm.busyMsPerSecond).isCloseTo(177.0, within(1e-9));
        assertThat(alarm.backPressuredMsPerSecond).isCloseTo(6.0, within(1e-9));
        assertThat(alarm.recordsIn).isEqualTo(3366);
        assertThat(loads.get("Unseen").busyMsPerSecond).isZero();
        // 600 ms over 3000 ms running against 285 over 2000.
        assertThat(alarm.busiestSubtaskMsPerSecond).isCloseTo(200.0, within(1e-9));
        assertThat(alarm.keyed).isFalse();
    }

    @Test
    void aTaskIsKeyedWhenTheJobPlanShipsAnInputByHash() throws Exception {
        JsonNode job =
                json(
                        "{'vertices': [{'id': 'a', 'name': 'Source', 'parallelism': 2},"
                                + " {'id': 'b', 'name': 'Drift', 'parallelism': 2}],"
                                + " 'plan': {'nodes': [{'id': 'a'},"
                                + " {'id': 'b', 'inputs': [{'num': 0, 'id': 'c',"
                                + " 'ship_strategy': 'BROADCAST'}, {'num': 1, 'id': 'a',"
                                + " 'ship_strategy': 'HASH'}]}]}}");
        Map<String, BenchReport.OperatorLoad> loads = RestFigures.operators(job, Map.of());
        assertThat(loads.get("Drift").keyed).isTrue();
        assertThat(loads.get("Source").keyed).isFalse();
    }

    @Test
    void checkpointFiguresAreTheLargestAndSlowestOfTheCompleted() throws Exception {
        BenchReport.CheckpointFigures figures =
                RestFigures.checkpoints(
                        json(
                                "{'counts': {'completed': 2, 'failed': 4},"
                                        + " 'summary': {'checkpointed_size': {'max': 2032733},"
                                        + " 'state_size': {'max': 2032734},"
                                        + " 'end_to_end_duration': {'max': 722, 'avg': 427,"
                                        + " 'p50': 401.5}}}"));
        assertThat(figures.completed).isEqualTo(2);
        assertThat(figures.failed).isEqualTo(4);
        assertThat(figures.stateBytes).isEqualTo(2032734L);
        assertThat(figures.checkpointedBytes).isEqualTo(2032733L);
        assertThat(figures.maxDurationMs).isEqualTo(722L);
        assertThat(figures.averageDurationMs).isEqualTo(427L);
        assertThat(figures.medianDurationMs).isEqualTo(402L);
    }

    @Test
    void checkpointsSplitWhereTheInputEndedAndFailuresWithoutAnEntryStartedNever()
            throws Exception {
        JsonNode checkpoints =
                json(
                        "{'counts': {'completed': 4, 'failed': 3}, 'history': ["
                                + " {'id': 6, 'status': 'FAILED', 'trigger_timestamp': 5000,"
                                + " 'end_to_end_duration': 900, 'failure_message':"
                                + " 'Checkpoint expired before completing.'},"
                                + " {'id': 5, 'status': 'COMPLETED', 'trigger_timestamp': 4000,"
                                + " 'end_to_end_duration': 205000},"
                                + " {'id': 4, 'status': 'COMPLETED', 'trigger_timestamp': 3000,"
                                + " 'end_to_end_duration': 2000},"
                                + " {'id': 3, 'status': 'FAILED', 'trigger_timestamp': 2000,"
                                + " 'end_to_end_duration': 10, 'failure_message':"
                                + " 'Checkpoint expired before completing.'},"
                                + " {'id': 2, 'status': 'COMPLETED', 'trigger_timestamp': 1000,"
                                + " 'end_to_end_duration': 4000},"
                                + " {'id': 1, 'status': 'COMPLETED', 'trigger_timestamp': 0,"
                                + " 'end_to_end_duration': 1000}]}");
        BenchReport.CheckpointFigures figures = RestFigures.checkpoints(checkpoints);
        RestFigures.phases(checkpoints, 4000, figures);
        assertThat(figures.whileReading.completed).isEqualTo(3);
        assertThat(figures.whileReading.failed).isEqualTo(1);
        assertThat(figures.whileReading.maxDurationMs).isEqualTo(4000L);
        assertThat(figures.whileReading.medianDurationMs).isEqualTo(2000L);
        assertThat(figures.afterInputEnded.completed).isEqualTo(1);
        assertThat(figures.afterInputEnded.failed).isEqualTo(1);
        assertThat(figures.afterInputEnded.maxDurationMs).isEqualTo(205000L);
        assertThat(figures.failedBeforeStart).isEqualTo(1);
        assertThat(figures.failureReasons)
                .containsExactly(Map.entry("Checkpoint expired before completing.", 2L));
    }

    @Test
    void aRunWhoseInputNeverEndedHasEveryCheckpointWhileReading() throws Exception {
        BenchReport.CheckpointFigures figures = new BenchReport.CheckpointFigures();
        RestFigures.phases(
                json(
                        "{'counts': {'failed': 0}, 'history': [{'status': 'COMPLETED',"
                                + " 'trigger_timestamp': 1796590677581,"
                                + " 'end_to_end_duration': 2758}]}"),
                Long.MAX_VALUE,
                figures);
        assertThat(figures.whileReading.completed).isEqualTo(1);
        assertThat(figures.afterInputEnded.completed).isZero();
        assertThat(figures.afterInputEnded.maxDurationMs).isNull();
    }

    @Test
    void eachTaskGetsItsStateInTheLatestCompletedCheckpoint() throws Exception {
        JsonNode job =
                json(
                        "{'vertices': [{'id': 'a', 'name': 'Source', 'parallelism': 2},"
                                + " {'id': 'b', 'name': 'Drift', 'parallelism': 2}]}");
        Map<String, BenchReport.OperatorLoad> loads = RestFigures.operators(job, Map.of());
        RestFigures.taskState(
                job,
                json("{'tasks': {'b': {'state_size': 4096, 'checkpointed_size': 4000}}}"),
                loads);
        assertThat(loads.get("Drift").stateBytes).isEqualTo(4096L);
        assertThat(loads.get("Source").stateBytes).isNull();
        assertThat(
                        RestFigures.largestCompleted(
                                json(
                                        "{'latest': {'completed': {'id': 9}}, 'history': ["
                                                + " {'id': 9, 'status': 'COMPLETED', 'state_size': 10},"
                                                + " {'id': 8, 'status': 'FAILED', 'state_size': 99},"
                                                + " {'id': 7, 'status': 'COMPLETED', 'state_size': 50}]}")))
                .isEqualTo(7L);
        assertThat(RestFigures.largestCompleted(json("{'latest': {'completed': {'id': 3}}}")))
                .isEqualTo(3L);
        assertThat(RestFigures.largestCompleted(json("{'latest': {'completed': null}}")))
                .isEqualTo(-1L);
    }

    @Test
    void noCompletedCheckpointLeavesTheFiguresUnknown() throws Exception {
        BenchReport.CheckpointFigures figures =
                RestFigures.checkpoints(
                        json(
                                "{'counts': {'completed': 0, 'failed': 1}, 'summary':"
                                        + " {'state_size': {'max': 0}}}"));
        assertThat(figures.completed).isZero();
        assertThat(figures.stateBytes).isNull();
        assertThat(figures.maxDurationMs).isNull();
    }
}
