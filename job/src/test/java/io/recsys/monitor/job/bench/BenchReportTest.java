package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BenchReport report() {
        BenchReport r = new BenchReport();
        r.events = 2_000_000;
        r.inputBytes = 560_000_000;
        r.features = 20;
        r.parallelism = 2;
        r.checkpointIntervalMs = 10_000;
        r.wallNanos = 20_000_000_000L; // 20 s
        r.cpuNanos = 36_000_000_000L; // 36 s of CPU: 1.8 cores
        r.heapBytes = 3L << 30;
        BenchReport.OperatorLoad attribution = new BenchReport.OperatorLoad();
        attribution.parallelism = 2;
        attribution.busyMsPerSecond = 475.4;
        attribution.busiestSubtaskMsPerSecond = 520.0;
        attribution.keyed = true;
        attribution.recordsIn = 2_000_000;
        attribution.stateBytes = 3L << 20;
        r.operators.put("Attribute feedback to predictions (by request id)", attribution);
        r.machine.cores = 2;
        r.machine.memoryBytes = 24L << 30;
        r.machine.jvm = "OpenJDK 17";
        r.machine.os = "Linux";
        return r;
    }

    @Test
    void throughputAndCpuFollowFromTheMeasuredTimes() {
        BenchReport r = report();
        assertThat(r.eventsPerSecond()).isCloseTo(100_000.0, within(1e-6));
        assertThat(r.cpuPercentOfOneCore()).isCloseTo(180.0, within(1e-9));
        assertThat(r.cpuPercentOfAllCores()).isCloseTo(90.0, within(1e-9));
        assertThat(r.meanEventBytes()).isCloseTo(280.0, within(1e-9));
        assertThat(r.eventsPerCpuSecond()).isCloseTo(2_000_000 / 36.0, within(1e-6));
    }

    @Test
    void anUnmeasuredRunHasNoThroughputRatherThanADivisionByZero() {
        BenchReport r = new BenchReport();
        assertThat(r.eventsPerSecond()).isZero();
        assertThat(r.cpuPercentOfOneCore()).isZero();
        assertThat(r.cpuPercentOfAllCores()).isZero();
        assertThat(r.eventsPerCpuSecond()).isZero();
    }

    @Test
    void jsonHasEveryKeyAndNullCheckpointFiguresWhenNoneCompleted() throws Exception {
        JsonNode json = JSON.readTree(report().json());
        assertThat(json.fieldNames())
                .toIterable()
                .contains(
                        "events_per_second",
                        "cpu_percent",
                        "operators",
                        "heap_bytes",
                        "state_bytes",
                        "checkpoint_bytes",
                        "checkpoint_ms",
                        "machine");
        assertThat(json.get("events_per_second").asDouble()).isEqualTo(100_000.0);
        assertThat(json.get("cpu_percent").asDouble()).isEqualTo(180.0);
        assertThat(json.get("cpu_percent_of_all_cores").asDouble()).isEqualTo(90.0);
        JsonNode op =
                json.get("operators").get("Attribute feedback to predictions (by request id)");
        assertThat(op.get("busy_ms_per_second").asDouble()).isEqualTo(475.4);
        assertThat(op.get("busy_fraction").asDouble()).isEqualTo(0.4754);
        assertThat(op.get("state_bytes").asLong()).isEqualTo(3L << 20);
        assertThat(json.get("state_bytes").isNull()).isTrue();
        assertThat(json.get("checkpoint_ms").isNull()).isTrue();
        assertThat(json.get("checkpoints_completed").asLong()).isZero();
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("machine").get("memory_bytes").asLong()).isEqualTo(24L << 30);
    }

    @Test
    void jsonCarriesTheCheckpointFigures() throws Exception {
        BenchReport r = report();
        r.checkpoints.completed = 3;
        r.checkpoints.stateBytes = 11_500_000L;
        r.checkpoints.checkpointedBytes = 11_500_000L;
        r.checkpoints.maxDurationMs = 748L;
        r.checkpoints.averageDurationMs = 477L;
        r.checkpoints.medianDurationMs = 455L;
        r.checkpoints.whileReading.completed = 2;
        r.checkpoints.whileReading.maxDurationMs = 500L;
        r.checkpoints.whileReading.medianDurationMs = 455L;
        r.checkpoints.afterInputEnded.completed = 1;
        r.checkpoints.afterInputEnded.failed = 2;
        r.checkpoints.afterInputEnded.maxDurationMs = 748L;
        r.checkpoints.afterInputEnded.medianDurationMs = 748L;
        r.checkpoints.failedBeforeStart = 1;
        r.checkpoints.failureReasons.put("Checkpoint expired before completing.", 2L);
        JsonNode json = JSON.readTree(r.json());
        assertThat(json.get("checkpoint_ms_p50").asLong()).isEqualTo(455L);
        assertThat(json.get("checkpoints_while_reading").get("checkpoint_ms").asLong())
                .isEqualTo(500L);
        assertThat(json.get("checkpoints_after_input_ended").get("failed").asLong()).isEqualTo(2L);
        assertThat(json.get("checkpoints_failed_before_start").asLong()).isEqualTo(1L);
        assertThat(
                        json.get("checkpoint_failure_reasons")
                                .get("Checkpoint expired before completing.")
                                .asLong())
                .isEqualTo(2L);
        assertThat(r.text())
                .contains("slowest 748 ms (median 455 ms, average 477 ms)")
                .contains(
                        "while the input was read: 2 completed (0 failed), slowest 500 ms, median"
                                + " 455 ms; after it ended (every timer fires at once): 1 completed"
                                + " (2 failed), slowest 748 ms, median 748 ms; 1 failed before"
                                + " they started")
                .contains("2 failed: Checkpoint expired before completing.");
        assertThat(json.get("state_bytes").asLong()).isEqualTo(11_500_000L);
        assertThat(json.get("checkpoint_bytes").asLong()).isEqualTo(11_500_000L);
        assertThat(json.get("checkpoint_ms").asLong()).isEqualTo(748L);
        assertThat(r.text()).contains("3 completed").contains("11.0 MiB").contains("748 ms");
    }

    @Test
    void textNamesTheHeadlineFigures() {
        String text = report().text();
        assertThat(text)
                .contains("100,000 events/s sustained")
                .contains("180 % of one core, 90 % of 2 cores (55,556 events per CPU second")
                .contains(
                        " 475.4   520.0   1.09x K  x2    3.0 MiB  Attribute feedback to predictions")
                .contains(
                        "at most 1.5 times their mean (or under 100 ms/s, or under 10 records per subtask): yes")
                .contains("checkpoints  none completed");
    }

    @Test
    void aKeyedTaskWithAHotSubtaskIsUnbalancedUnlessItIsNearlyIdle() throws Exception {
        BenchReport r = report();
        BenchReport.OperatorLoad drift = new BenchReport.OperatorLoad();
        drift.keyed = true;
        drift.parallelism = 2;
        drift.recordsIn = 20_000;
        // One subtask 400 ms/s busy, the other 0: the mean is 200.
        drift.busyMsPerSecond = 200.0;
        drift.busiestSubtaskMsPerSecond = 400.0;
        r.operators.put("Rolling drift", drift);
        BenchReport.OperatorLoad source = new BenchReport.OperatorLoad();
        source.busyMsPerSecond = 300.0;
        source.busiestSubtaskMsPerSecond = 600.0;
        r.operators.put("Source (not keyed)", source);

        assertThat(drift.busiestToMean()).isCloseTo(2.0, within(1e-9));
        assertThat(drift.isBalanced()).isFalse();
        assertThat(r.keyedStagesBalanced()).isFalse();
        JsonNode op = JSON.readTree(r.json()).get("operators").get("Rolling drift");
        assertThat(op.get("keyed").asBoolean()).isTrue();
        assertThat(op.get("busiest_subtask_busy_ms_per_second").asDouble()).isEqualTo(400.0);
        assertThat(op.get("busiest_to_mean").asDouble()).isEqualTo(2.0);
        assertThat(op.get("balanced").asBoolean()).isFalse();
        assertThat(JSON.readTree(r.json()).get("keyed_stages_balanced").asBoolean()).isFalse();
        assertThat(r.text()).contains("(or under 100 ms/s, or under 10 records per subtask): no");

        // The same imbalance on a task too idle for it to matter.
        drift.busyMsPerSecond = 40.0;
        drift.busiestSubtaskMsPerSecond = 80.0;
        assertThat(drift.isBalanced()).isTrue();
        assertThat(r.keyedStagesBalanced()).isTrue();
        // A busy-looking task that read one record: the wait after its input ended, not a key.
        BenchReport.OperatorLoad handOff = new BenchReport.OperatorLoad();
        handOff.keyed = true;
        handOff.parallelism = 2;
        handOff.recordsIn = 1;
        handOff.busyMsPerSecond = 89.0;
        handOff.busiestSubtaskMsPerSecond = 158.6;
        r.operators.put("Drift state of the previous release, handed on", handOff);
        assertThat(handOff.isBalanced()).isTrue();
        handOff.recordsIn = 20;
        assertThat(handOff.isBalanced()).isFalse();
        assertThat(r.keyedStagesBalanced()).isFalse();
    }

    @Test
    void bytesArePrintedInBinaryUnits() {
        assertThat(BenchReport.bytes(null)).isEqualTo("n/a");
        assertThat(BenchReport.bytes(512L)).isEqualTo("512 B");
        assertThat(BenchReport.bytes(1536L)).isEqualTo("1.5 KiB");
        assertThat(BenchReport.bytes(3L << 30)).isEqualTo("3.0 GiB");
    }

    @Test
    void saysWhereTheRecordsWentAndWhatTheDashboardCost() throws Exception {
        BenchReport discarding = report();
        JsonNode plain = JSON.readTree(discarding.json());
        assertThat(plain.get("outputs").asText()).isEqualTo("discard");
        assertThat(plain.get("dashboard").isNull()).isTrue();
        assertThat(discarding.dashboardCpuPercent()).isZero();
        assertThat(discarding.text()).contains("outputs discard (records discarded)");

        BenchReport r = report();
        r.outputs = BenchOutputs.DASHBOARD.label();
        r.outputsDescription = BenchOutputs.DASHBOARD.description();
        r.dashboard = new BenchReport.DashboardLoad();
        r.dashboard.pollIntervalMs = 2000;
        r.dashboard.requests = 10;
        r.dashboard.fullAnswers = 3;
        r.dashboard.bytes = 300_000;
        r.dashboard.records = 12_000;
        r.dashboard.cpuNanos = 360_000_000L; // 0.36 s of the run's 36 s

        assertThat(r.dashboardCpuPercent()).isCloseTo(1.0, within(1e-9));
        JsonNode json = JSON.readTree(r.json());
        assertThat(json.get("outputs").asText()).isEqualTo("dashboard");
        assertThat(json.get("dashboard").get("requests").asLong()).isEqualTo(10);
        assertThat(json.get("dashboard").get("full_answers").asLong()).isEqualTo(3);
        assertThat(json.get("dashboard").get("cpu_seconds").asDouble()).isEqualTo(0.36);
        assertThat(json.get("dashboard").get("cpu_percent_of_run").asDouble()).isEqualTo(1.0);
        assertThat(r.text())
                .contains("outputs dashboard")
                .contains("10 requests for data.json, one 2 s after each answer")
                .contains("1.00 % of the run's");
    }
}
