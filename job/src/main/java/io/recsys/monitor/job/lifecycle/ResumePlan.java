package io.recsys.monitor.job.lifecycle;

import io.recsys.monitor.job.cli.UserError;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a local run starts over or continues the run before it in the same output directory, and
 * from which checkpoint or savepoint: the rules of {@code --resume}, {@code --fresh} and {@code
 * --from-savepoint}, kept apart from the files and the cluster so that every case is tested.
 *
 * <p>A run continues an unfinished run (crashed, killed, stopped with Ctrl-C) of the same settings
 * from its newest retained checkpoint or savepoint, under the same job id (its checkpoints stay in
 * one place). A finished run, or none, means a fresh start. An unfinished run with other settings
 * is never continued nor discarded without {@code --fresh}.
 */
public final class ResumePlan {
    /** What the command line asked for. */
    public enum Mode {
        /** Continue an unfinished run if there is one, else start fresh. */
        AUTO,
        /** Continue an unfinished run; refuse when there is nothing to continue. */
        RESUME,
        /** Discard whatever an earlier run left and start over. */
        FRESH,
        /** Restore the savepoint given on the command line. */
        FROM_SAVEPOINT
    }

    /** Whether the outputs, checkpoints and manifest of an earlier run are discarded. */
    public final boolean fresh;

    /** The checkpoint or savepoint to restore, null for none. */
    public final Path restoreFrom;

    /**
     * Whether Flink takes ownership of {@link #restoreFrom} (deletes it once a newer checkpoint
     * exists): yes for the run's own checkpoints, never for a savepoint the user named.
     */
    public final boolean claim;

    /** The Flink job id of the run, which names its checkpoints' directory. */
    public final String jobId;

    /** The line that tells the user what happens, null when a fresh start needs no word. */
    public final String message;

    private ResumePlan(
            boolean fresh, Path restoreFrom, boolean claim, String jobId, String message) {
        this.fresh = fresh;
        this.restoreFrom = restoreFrom;
        this.claim = claim;
        this.jobId = jobId;
        this.message = message;
    }

    /**
     * The plan of a run.
     *
     * @param mode what the command line asked for
     * @param savepoint the savepoint of {@link Mode#FROM_SAVEPOINT}, else ignored
     * @param previous the manifest found in the output directory (empty for none)
     * @param unreadable why the manifest could not be read, null when it could (or there is none)
     * @param settings the settings of this run that define its input and graph
     * @param restorable the newest complete checkpoint or savepoint of {@code previous}
     * @param newJobId the job id of a fresh start
     * @param outputDir the output directory, for messages
     * @throws UserError when the run cannot start as asked
     */
    public static ResumePlan decide(
            Mode mode,
            Path savepoint,
            Optional<RunManifest> previous,
            String unreadable,
            Map<String, String> settings,
            Optional<Path> restorable,
            String newJobId,
            Path outputDir) {
        String dir = outputDir.toAbsolutePath().toString();
        switch (mode) {
            case FRESH:
                return new ResumePlan(true, null, false, newJobId, null);
            case FROM_SAVEPOINT:
                if (!RetainedState.isComplete(savepoint)) {
                    throw new UserError(
                            "no savepoint at "
                                    + savepoint.toAbsolutePath()
                                    + " (no "
                                    + RetainedState.METADATA
                                    + " in it)");
                }
                return new ResumePlan(
                        false,
                        savepoint,
                        false,
                        newJobId,
                        "Restoring savepoint " + savepoint.toAbsolutePath());
            default:
                break;
        }
        if (unreadable != null) {
            throw new UserError(
                    "cannot read "
                            + RunManifest.FILE
                            + " in "
                            + dir
                            + " ("
                            + unreadable
                            + "); start over with --fresh or choose another --output");
        }
        boolean resume = mode == Mode.RESUME;
        if (previous.isEmpty() || !previous.get().unfinished()) {
            if (resume) {
                throw new UserError(
                        "nothing to resume in "
                                + dir
                                + (previous.isEmpty()
                                        ? ": no earlier run"
                                        : ": the earlier run finished"));
            }
            return new ResumePlan(true, null, false, newJobId, null);
        }
        RunManifest run = previous.get();
        String difference = difference(run.settings, settings);
        if (difference != null) {
            throw new UserError(
                    "output directory "
                            + dir
                            + " holds an unfinished run with other settings ("
                            + difference
                            + "); resume it with the same settings, start over with --fresh or"
                            + " choose another --output");
        }
        if (restorable.isEmpty()) {
            if (resume) {
                throw new UserError(
                        "nothing to resume in " + dir + ": the earlier run left no checkpoint");
            }
            return new ResumePlan(
                    true,
                    null,
                    false,
                    newJobId,
                    "The unfinished run in " + dir + " left no checkpoint: starting over");
        }
        Path from = restorable.get();
        boolean savepointOfRun = from.equals(pathOrNull(run.lastSavepoint));
        return new ResumePlan(
                false,
                from,
                !Objects.equals(from, pathOrNull(run.restoredFrom)) || savepointOfRun,
                run.jobId,
                "Resuming the unfinished run in "
                        + dir
                        + " from "
                        + (savepointOfRun ? "savepoint " : "checkpoint ")
                        + from.toAbsolutePath());
    }

    /**
     * The settings that define a run's input and graph: every explicit setting but those of the
     * job's own machinery ({@code job.*}: web UI, checkpoints, restarts, parallelism, which a
     * restore may change), of the dashboard that reads the outputs, and of the output directory
     * itself.
     */
    public static Map<String, String> definingSettings(Map<String, String> explicit) {
        Map<String, String> defining = new TreeMap<>();
        explicit.forEach(
                (key, value) -> {
                    if (!key.startsWith("job.")
                            && !key.startsWith("output.")
                            && !key.startsWith("dashboard.")) {
                        defining.put(key, value);
                    }
                });
        // A change of state backend cannot restore a checkpoint of the other (only a savepoint).
        if (explicit.containsKey("job.state-backend")) {
            defining.put("job.state-backend", explicit.get("job.state-backend"));
        }
        return defining;
    }

    /** The first setting that differs, as "key: old -> new", or null when none does. */
    static String difference(Map<String, String> before, Map<String, String> now) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            String old = before.get(key);
            String current = now.get(key);
            if (!Objects.equals(old, current)) {
                return key + ": " + shown(old) + " -> " + shown(current);
            }
        }
        return null;
    }

    private static String shown(String value) {
        if (value == null) {
            return "(unset)";
        }
        return value.length() > 60 ? value.substring(0, 57) + "..." : value;
    }

    private static Path pathOrNull(String path) {
        return path == null ? null : Path.of(path);
    }
}
