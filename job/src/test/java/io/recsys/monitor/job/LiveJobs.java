package io.recsys.monitor.job;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** Ends the live jobs of tests before the tests' temporary directories are deleted. */
final class LiveJobs {
    private LiveJobs() {}

    /**
     * Cancels {@code job} and waits until it has stopped: {@code cancel()} returns once the cancel
     * is asked for, and until its tasks stop they still write into the test's temporary directory,
     * which JUnit then fails to delete ("DirectoryNotEmptyException").
     */
    static void cancel(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            return;
        }
        try {
            job.cancel().get();
        } catch (ExecutionException finishedMeanwhile) {
            // The job ended between the check and the cancel: waiting below is all there is.
        }
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // The result of a cancelled job is this exception: it has stopped.
        }
    }
}
