package io.recsys.monitor.job.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stop-with-savepoint that tries again when the savepoint was declined. Just after a start or a
 * restore, a task can finish or still be deploying when the savepoint reaches it ("checkpoint
 * request for unknown task"); Flink then fails the stop, the tasks that waited for it fail, and the
 * job restarts from its newest checkpoint (1 s later, by the restart strategy). An attempt a few
 * seconds later, once the job runs again, succeeds. Any other failure (the job is gone, the
 * directory cannot be written) is given back at once.
 */
public final class SavepointStop {
    private static final Logger LOG = LoggerFactory.getLogger(SavepointStop.class);

    /** Attempts in all, and the pause between two. */
    static final int ATTEMPTS = 6;

    static final long PAUSE_MILLIS = 5_000;

    private SavepointStop() {}

    /**
     * {@code attempt} (one stop-with-savepoint, completing with its path) up to {@value #ATTEMPTS}
     * times, {@value #PAUSE_MILLIS} ms apart.
     */
    public static Supplier<CompletableFuture<String>> retrying(
            Supplier<CompletableFuture<String>> attempt) {
        return () ->
                retrying(
                        attempt,
                        ATTEMPTS,
                        CompletableFuture.delayedExecutor(PAUSE_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** The savepoint of the first attempt that is not declined, or the last failure. */
    static CompletableFuture<String> retrying(
            Supplier<CompletableFuture<String>> attempt, int attempts, Executor pause) {
        CompletableFuture<String> result = new CompletableFuture<>();
        run(attempt, 1, attempts, pause, result);
        return result;
    }

    private static void run(
            Supplier<CompletableFuture<String>> attempt,
            int number,
            int attempts,
            Executor pause,
            CompletableFuture<String> result) {
        attempt.get()
                .whenComplete(
                        (path, failure) -> {
                            if (failure == null) {
                                result.complete(path);
                            } else if (number < attempts && declined(failure)) {
                                LOG.warn(
                                        "event=stop_savepoint_retry attempt={} reason=\"{}\"",
                                        number,
                                        rootMessage(failure));
                                System.err.println(
                                        "recsys-monitor: the savepoint was declined ("
                                                + rootMessage(failure)
                                                + "); trying again in "
                                                + PAUSE_MILLIS / 1000
                                                + " s");
                                pause.execute(
                                        () -> run(attempt, number + 1, attempts, pause, result));
                            } else {
                                result.completeExceptionally(
                                        failure instanceof CompletionException
                                                        && failure.getCause() != null
                                                ? failure.getCause()
                                                : failure);
                            }
                        });
    }

    /** Whether the savepoint itself was declined (a checkpoint failure), not the stop refused. */
    static boolean declined(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CheckpointException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).replace('"', '\'');
    }
}
