package io.recsys.monitor.sinks.sns;

/**
 * Fails the job when SNS will not take alerts until someone changes the setup: a topic that does
 * not exist, credentials that may not publish. Its message names the topic and the configuration
 * key to check.
 *
 * <p>The SDK's exception is attached as a suppressed exception rather than as the cause, so that
 * the root cause Flink reports (web UI, {@code JobExecutionException}) is this sentence, while the
 * SDK's stack trace and request id are still in the log.
 */
public final class SnsAlertSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SnsAlertSinkException(String message, Throwable serviceError) {
        super(message);
        if (serviceError != null) {
            addSuppressed(serviceError);
        }
    }
}
