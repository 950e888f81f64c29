package io.recsys.monitor.job.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.job.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePlanTest {
    private static final Map<String, String> SETTINGS =
            Map.of("source.type", "file", "source.input", "events/");
    private static final String NEW_ID = "0123456789abcdef0123456789abcdef";
    private static final String OLD_ID = "fedcba9876543210fedcba9876543210";

    @TempDir Path dir;

    private RunManifest run(RunManifest.State state) {
        RunManifest manifest = new RunManifest();
        manifest.state = state;
        manifest.settings.putAll(SETTINGS);
        manifest.jobId = OLD_ID;
        manifest.checkpointDir = dir.resolve("checkpoints").toString();
        return manifest;
    }

    private ResumePlan decide(
            ResumePlan.Mode mode, Optional<RunManifest> previous, Optional<Path> restorable) {
        return ResumePlan.decide(
                mode, null, previous, null, SETTINGS, restorable, NEW_ID, dir.resolve("out"));
    }

    @Test
    void noEarlierRunStartsFreshUnderANewJobId() {
        ResumePlan plan = decide(ResumePlan.Mode.AUTO, Optional.empty(), Optional.empty());

        assertThat(plan.fresh).isTrue();
        assertThat(plan.restoreFrom).isNull();
        assertThat(plan.jobId).isEqualTo(NEW_ID);
        assertThat(plan.message).isNull();
    }

    @Test
    void aFinishedRunIsReplaced() {
        ResumePlan plan =
                decide(
                        ResumePlan.Mode.AUTO,
                        Optional.of(run(RunManifest.State.FINISHED)),
                        Optional.of(dir.resolve("chk-3")));

        assertThat(plan.fresh).isTrue();
        assertThat(plan.restoreFrom).isNull();
    }

    @Test
    void anUnfinishedRunIsContinuedFromItsNewestStateUnderItsJobId() {
        Path checkpoint = dir.resolve("checkpoints").resolve(OLD_ID).resolve("chk-7");

        ResumePlan plan =
                decide(
                        ResumePlan.Mode.AUTO,
                        Optional.of(run(RunManifest.State.RUNNING)),
                        Optional.of(checkpoint));

        assertThat(plan.fresh).isFalse();
        assertThat(plan.restoreFrom).isEqualTo(checkpoint);
        assertThat(plan.claim).isTrue();
        assertThat(plan.jobId).isEqualTo(OLD_ID);
        assertThat(plan.message).startsWith("Resuming the unfinished run in ").contains("chk-7");
    }

    @Test
    void aStoppedRunIsContinuedFromItsSavepoint() {
        RunManifest stopped = run(RunManifest.State.STOPPED);
        Path savepoint = dir.resolve("savepoints").resolve("savepoint-1");
        stopped.lastSavepoint = savepoint.toString();

        ResumePlan plan =
                decide(ResumePlan.Mode.AUTO, Optional.of(stopped), Optional.of(savepoint));

        assertThat(plan.restoreFrom).isEqualTo(savepoint);
        assertThat(plan.message).contains("from savepoint ");
    }

    @Test
    void theSavepointAUserNamedIsNeverClaimed() {
        RunManifest restored = run(RunManifest.State.RUNNING);
        Path theirs = dir.resolve("theirs");
        restored.restoredFrom = theirs.toString();

        ResumePlan plan = decide(ResumePlan.Mode.AUTO, Optional.of(restored), Optional.of(theirs));

        assertThat(plan.restoreFrom).isEqualTo(theirs);
        assertThat(plan.claim).isFalse();
    }

    @Test
    void anUnfinishedRunWithoutCheckpointStartsOverAndSaysSo() {
        ResumePlan plan =
                decide(
                        ResumePlan.Mode.AUTO,
                        Optional.of(run(RunManifest.State.RUNNING)),
                        Optional.empty());

        assertThat(plan.fresh).isTrue();
        assertThat(plan.jobId).isEqualTo(NEW_ID);
        assertThat(plan.message).contains("left no checkpoint");
    }

    @Test
    void anUnfinishedRunWithOtherSettingsIsRefusedNamingTheSetting() {
        RunManifest other = run(RunManifest.State.RUNNING);
        other.settings.put("source.input", "older/");

        assertThatThrownBy(
                        () ->
                                decide(
                                        ResumePlan.Mode.AUTO,
                                        Optional.of(other),
                                        Optional.of(dir.resolve("chk-1"))))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("source.input: older/ -> events/")
                .hasMessageContaining("--fresh");
    }

    @Test
    void resumeDemandsSomethingToResume() {
        assertThatThrownBy(() -> decide(ResumePlan.Mode.RESUME, Optional.empty(), Optional.empty()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("nothing to resume")
                .hasMessageContaining("no earlier run");
        assertThatThrownBy(
                        () ->
                                decide(
                                        ResumePlan.Mode.RESUME,
                                        Optional.of(run(RunManifest.State.FINISHED)),
                                        Optional.empty()))
                .hasMessageContaining("finished");
        assertThatThrownBy(
                        () ->
                                decide(
                                        ResumePlan.Mode.RESUME,
                                        Optional.of(run(RunManifest.State.RUNNING)),
                                        Optional.empty()))
                .hasMessageContaining("left no checkpoint");
    }

    @Test
    void freshDiscardsEvenAnUnfinishedRunOfOtherSettings() {
        RunManifest other = run(RunManifest.State.RUNNING);
        other.settings.put("source.input", "older/");

        ResumePlan plan =
                decide(
                        ResumePlan.Mode.FRESH,
                        Optional.of(other),
                        Optional.of(dir.resolve("chk-1")));

        assertThat(plan.fresh).isTrue();
        assertThat(plan.restoreFrom).isNull();
        assertThat(plan.jobId).isEqualTo(NEW_ID);
    }

    @Test
    void anUnreadableManifestIsRefusedUnlessFresh() {
        assertThatThrownBy(
                        () ->
                                ResumePlan.decide(
                                        ResumePlan.Mode.AUTO,
                                        null,
                                        Optional.empty(),
                                        "JsonParseException",
                                        SETTINGS,
                                        Optional.empty(),
                                        NEW_ID,
                                        dir))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("cannot read run.json")
                .hasMessageContaining("--fresh");
    }

    @Test
    void fromSavepointDemandsACompleteOneAndNeverClaimsIt() throws IOException {
        Path savepoint = Files.createDirectories(dir.resolve("savepoint-x"));
        assertThatThrownBy(
                        () ->
                                ResumePlan.decide(
                                        ResumePlan.Mode.FROM_SAVEPOINT,
                                        savepoint,
                                        Optional.empty(),
                                        null,
                                        SETTINGS,
                                        Optional.empty(),
                                        NEW_ID,
                                        dir))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("no savepoint at");

        Files.writeString(savepoint.resolve(RetainedState.METADATA), "x");
        ResumePlan plan =
                ResumePlan.decide(
                        ResumePlan.Mode.FROM_SAVEPOINT,
                        savepoint,
                        Optional.empty(),
                        null,
                        SETTINGS,
                        Optional.empty(),
                        NEW_ID,
                        dir);
        assertThat(plan.restoreFrom).isEqualTo(savepoint);
        assertThat(plan.claim).isFalse();
        assertThat(plan.fresh).isFalse();
        assertThat(plan.jobId).isEqualTo(NEW_ID);
    }

    @Test
    void theMachinerySettingsDoNotDefineTheRun() {
        Map<String, String> defining =
                ResumePlan.definingSettings(
                        Map.of(
                                "source.input", "events/",
                                "job.parallelism", "4",
                                "job.web-ui-port", "0",
                                "output.dir", "out",
                                "dashboard.enabled", "false",
                                "job.state-backend", "rocksdb"));

        assertThat(defining)
                .containsOnlyKeys("source.input", "job.state-backend")
                .containsEntry("job.state-backend", "rocksdb");
    }
}
