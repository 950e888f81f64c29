package io.recsys.monitor.sinks.cloudwatch;

/**
 * Why the CloudWatch sink failed the job: a request the service refused for a reason no retry can
 * fix (permissions, credentials, a datum rejected under {@code cloudwatch.invalid-data=fail}). The
 * message names the namespace and what to check, because it is the first line an operator reads.
 */
public class CloudWatchSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CloudWatchSinkException(String message) {
        super(message);
    }

    public CloudWatchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
