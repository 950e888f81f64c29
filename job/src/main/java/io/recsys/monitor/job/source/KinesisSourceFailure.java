package io.recsys.monitor.job.source;

import io.recsys.monitor.config.Settings;
import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.job.preflight.PreflightFailure;
import java.util.List;
import org.apache.flink.kinesis.shaded.com.amazonaws.AmazonServiceException;

/**
 * Tells a failure of the Kinesis source that no restart heals (a stream deleted while the job runs,
 * access denied, credentials the service rejects) from one that may heal, and words the one line
 * that ends the run. The connector retries throttling and network errors itself, a bounded number
 * of times, and what still fails after that is left to the restart strategy; an error this class
 * recognises becomes an {@link UnrecoverableFailure}, which Flink does not restart.
 *
 * <p>The polling consumer, the only one the job runs, reports errors in the connector's relocated
 * AWS SDK version 1 (enhanced fan-out and its SDK version 2 client are not in the application jar).
 */
final class KinesisSourceFailure {
    private KinesisSourceFailure() {}

    /**
     * The failure that ends the run for {@code error} of a source reading {@code streams}, or null
     * when {@code error} may heal.
     */
    static UnrecoverableFailure unrecoverable(Throwable error, List<String> streams) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof AmazonServiceException)) {
                continue;
            }
            AmazonServiceException service = (AmazonServiceException) t;
            String code = String.valueOf(service.getErrorCode());
            int status = service.getStatusCode();
            String said = code + ": " + service.getErrorMessage();
            String message = message(PreflightFailure.classify(code, status), said, streams);
            if (message != null) {
                return new UnrecoverableFailure(message, error);
            }
        }
        return null;
    }

    private static String message(PreflightFailure.Kind kind, String said, List<String> streams) {
        String which =
                "Kinesis stream "
                        + String.join(" / ", streams)
                        + " ("
                        + Settings.KINESIS_STREAM.key()
                        + (streams.size() > 1 ? ", " + Settings.KINESIS_FEEDBACK_STREAM.key() : "")
                        + ")";
        String oneLine = said.replaceAll("\\s+", " ").trim();
        switch (kind) {
            case NOT_FOUND:
                return "The job stopped: "
                        + which
                        + " no longer exists ("
                        + oneLine
                        + "). Recreate it, or correct the key, and start the job again.";
            case ACCESS_DENIED:
                return "The job stopped: access denied reading "
                        + which
                        + " ("
                        + oneLine
                        + "). Grant the job's role kinesis:GetRecords, kinesis:GetShardIterator,"
                        + " kinesis:ListShards and kinesis:DescribeStreamSummary on it"
                        + " (deploy/iam-policy.json).";
            case BAD_CREDENTIALS:
                return "The job stopped: Kinesis rejected the job's credentials reading "
                        + which
                        + " ("
                        + oneLine
                        + "). Check aws.credentials and the AWS default credentials chain.";
            default:
                return null;
        }
    }
}
