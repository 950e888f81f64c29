package io.recsys.monitor.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.job.lifecycle.ResumePlan;
import io.recsys.monitor.job.lifecycle.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.client.JobInitializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRunTest {
    private static final JobID JOB = new JobID();

    @TempDir Path dir;

    private static ResumePlan restoring(Path from) throws Exception {
        Files.createDirectories(from);
        Files.writeString(from.resolve("_metadata"), "m");
        return ResumePlan.decide(
                ResumePlan.Mode.FROM_SAVEPOINT,
                from,
                Optional.empty(),
                null,
                Map.of(),
                Optional.empty(),
                JOB.toHexString(),
                from.getParent());
    }

    private static ResumePlan freshPlan(Path dir) {
        return ResumePlan.decide(
                ResumePlan.Mode.FRESH,
                null,
                Optional.empty(),
                null,
                Map.of(),
                Optional.empty(),
                JOB.toHexString(),
                dir);
    }

    @Test
    void aCheckpointTheGraphDoesNotFitIsAUserErrorSuggestingAFreshStart() throws Exception {
        Path savepoint = dir.resolve("savepoint-1");
        ExecutionException failed =
                new ExecutionException(
                        new JobExecutionException(
                                JOB,
                                "Job failed",
                                new JobInitializationException(
                                        JOB,
                                        "Could not start the JobMaster.",
                                        new IllegalStateException(
                                                "Failed to rollback to checkpoint/savepoint"
                                                        + " file:/x.\nCannot map checkpoint/savepoint"
                                                        + " state for operator abc"))));

        Exception error = LocalRun.failure(restoring(savepoint), failed);

        assertThat(error)
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("cannot restore " + savepoint)
                .hasMessageContaining("IllegalStateException: Failed to rollback")
                .hasMessageEndingWith("start over with --fresh or choose another --output");
        assertThat(error.getMessage()).doesNotContain("\n");
    }

    @Test
    void restartsRunOutEndWithOneLineNamingTheLastCause() {
        ExecutionException failed =
                new ExecutionException(
                        new JobExecutionException(
                                JOB,
                                "Job failed",
                                new RuntimeException(
                                        "Recovery is suppressed",
                                        new java.io.IOException("disk full\n at somewhere"))));

        Exception error = LocalRun.failure(freshPlan(dir), failed);

        assertThat(error)
                .isInstanceOf(UserError.class)
                .hasMessage("the job failed and was not restarted again: IOException: disk full");
    }

    @Test
    void anUnrecoverableFailureIsLeftForTheCommandLineToPrint() {
        ExecutionException failed =
                new ExecutionException(
                        new JobExecutionException(
                                JOB, "Job failed", new UnrecoverableFailure("no input at x")));

        assertThat(LocalRun.failure(freshPlan(dir), failed)).isSameAs(failed);
    }

    @Test
    void boundedReplaysServeNoWebUiUnlessAsked() {
        MonitorConfig defaults = MonitorConfig.defaults();
        assertThat(LocalRun.wantsWebUi(defaults, false)).isTrue();
        assertThat(LocalRun.wantsWebUi(defaults, true)).isFalse();
        assertThat(LocalRun.wantsWebUi(defaults.with("job.web-ui-port", "9000"), true)).isTrue();
        assertThat(LocalRun.wantsWebUi(defaults.with("job.web-ui", "true"), true)).isTrue();
        assertThat(LocalRun.wantsWebUi(defaults.with("job.web-ui", "false"), false)).isFalse();
    }

    @Test
    void checkpointsGoUnderTheOutputUnlessMoved() {
        MonitorConfig defaults = MonitorConfig.defaults();
        assertThat(LocalRun.checkpointRoot(defaults, dir)).isEqualTo(dir.resolve("checkpoints"));
        assertThat(
                        LocalRun.checkpointRoot(
                                defaults.with(
                                        "job.checkpoint-dir", dir.resolve("elsewhere").toString()),
                                dir))
                .isEqualTo(dir.resolve("elsewhere"));
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromWhatItRestored() throws Exception {
        Path theirs = dir.resolve("theirs");
        Files.createDirectories(theirs);
        Files.writeString(theirs.resolve("_metadata"), "m");
        RunManifest manifest = new RunManifest();
        manifest.jobId = JOB.toHexString();
        manifest.checkpointDir = dir.resolve("checkpoints").toString();
        manifest.restoredFrom = theirs.toString();

        assertThat(LocalRun.restorable(manifest)).contains(theirs);

        Path checkpoint = dir.resolve("checkpoints").resolve(JOB.toHexString()).resolve("chk-3");
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve("_metadata"), "m");
        assertThat(LocalRun.restorable(manifest)).contains(checkpoint);
    }
}
