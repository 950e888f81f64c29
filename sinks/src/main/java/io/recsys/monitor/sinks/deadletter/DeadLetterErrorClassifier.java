package io.recsys.monitor.sinks.deadletter;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.sinks.aws.AwsFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.sink.throwable.FatalExceptionClassifier;

/**
 * Decides what a failed {@code SendMessageBatch} or {@code PutRecords} request means:
 *
 * <ul>
 *   <li>{@link Verdict#RETRY}: throttling, a 5xx, a timeout or an I/O error; the entries are sent
 *       again after a backoff, a bounded number of times.
 *   <li>{@link Verdict#SETUP}: the queue or stream does not exist, or the credentials may not write
 *       to it (or use its KMS key); no restart helps, so the job fails without restarting and says
 *       which queue or stream and which IAM action to grant.
 *   <li>{@link Verdict#FAIL}: anything else (a request the service calls malformed, an error
 *       outside the SDK); the job fails and its restart strategy decides.
 * </ul>
 *
 * <p>The writer applies these as a {@link FatalExceptionClassifier} chain ({@link #fatalErrors}) on
 * the SDK's own predicates ({@link AwsFailure#isTransient}).
 *
 * <p>Per-entry failures are simpler: SQS's {@code senderFault=true} means the message will never be
 * taken (it is logged and counted, see {@link DeadLetterSink}); every other entry failure, and
 * every per-record failure of Kinesis (throughput exceeded, internal failure), is retried.
 */
public final class DeadLetterErrorClassifier {

    /** What to do with the entries of a failed request. */
    public enum Verdict {
        RETRY,
        SETUP,
        FAIL
    }

    static final Set<String> MISSING_CODES =
            Set.of(
                    "AWS.SimpleQueueService.NonExistentQueue",
                    "QueueDoesNotExist",
                    "NonExistentQueue",
                    "ResourceNotFoundException",
                    "ResourceNotFound");

    static final Set<String> ACCESS_CODES =
            Set.of(
                    "AccessDenied",
                    "AccessDeniedException",
                    "AuthorizationError",
                    "InvalidClientTokenId",
                    "UnrecognizedClientException",
                    "SignatureDoesNotMatch",
                    "MissingAuthenticationToken",
                    "ExpiredToken",
                    "ExpiredTokenException",
                    "InvalidSecurity",
                    "OptInRequired",
                    "KMS.AccessDeniedException",
                    "KMS.DisabledException",
                    "KMS.NotFoundException",
                    "KMS.InvalidStateException",
                    "KMS.OptInRequired",
                    "KmsAccessDenied",
                    "KmsDisabled",
                    "KmsNotFound",
                    "KmsInvalidState",
                    "KMSAccessDeniedException",
                    "KMSDisabledException",
                    "KMSNotFoundException",
                    "KMSInvalidStateException",
                    "KMSOptInRequired");

    /** Worth another try besides 5xx and the SDK's own throttling codes. */
    static final Set<String> TRANSIENT_CODES =
            Set.of(
                    "ProvisionedThroughputExceededException",
                    "LimitExceededException",
                    "RequestThrottled",
                    "ThrottlingException",
                    "Throttling",
                    "KMSThrottlingException",
                    "KMS.ThrottlingException",
                    "KmsThrottled",
                    "InternalFailure",
                    "InternalError",
                    "ServiceUnavailable",
                    "RequestTimeout");

    private DeadLetterErrorClassifier() {}

    /**
     * The fatal errors of a request to {@code target}, first match wins: a setup error ends the run
     * without a restart ({@link #setupMessage}); anything else that is not transient fails the job
     * for its restart strategy. What passes is retried.
     */
    public static FatalExceptionClassifier fatalErrors(
            DeadLetterDestination destination, String target) {
        return FatalExceptionClassifier.createChain(
                new FatalExceptionClassifier(
                        DeadLetterErrorClassifier::isSetupError,
                        error ->
                                new UnrecoverableFailure(
                                        setupMessage(error, destination, target),
                                        AwsFailure.unwrap(error))),
                new FatalExceptionClassifier(
                        error -> !isTransient(error),
                        error ->
                                new DeadLetterSinkException(
                                        "Dead letters to "
                                                + destination.configName()
                                                + " "
                                                + target
                                                + " failed and will not succeed on retry ("
                                                + AwsFailure.describe(error)
                                                + ")",
                                        AwsFailure.unwrap(error))));
    }

    /** The verdict on a request that failed as a whole. */
    public static Verdict ofRequest(Throwable error) {
        List<Exception> fatal = new ArrayList<>(1);
        // isFatal answers false when a classifier of the chain took the error as fatal.
        if (fatalErrors(DeadLetterDestination.SQS, "").isFatal(error, fatal::add)) {
            return Verdict.RETRY;
        }
        return fatal.get(0) instanceof UnrecoverableFailure ? Verdict.SETUP : Verdict.FAIL;
    }

    /** Whether another attempt may succeed: throttling, a 5xx, a clock skew, the network. */
    static boolean isTransient(Throwable error) {
        return AwsFailure.isTransient(error, TRANSIENT_CODES) || AwsFailure.isClockSkew(error);
    }

    private static boolean isSetupError(Throwable error) {
        return AwsFailure.hasErrorCode(error, MISSING_CODES, Set.of(403))
                || AwsFailure.hasErrorCode(error, ACCESS_CODES, Set.of());
    }

    /**
     * The one-line message that ends the run: what the service said about which queue or stream,
     * and what to change: the configuration key, or the IAM action to grant.
     */
    public static String setupMessage(
            Throwable error, DeadLetterDestination destination, String target) {
        String said = AwsFailure.describe(error);
        String code = AwsFailure.errorCode(error);
        boolean sqs = destination == DeadLetterDestination.SQS;
        String what = sqs ? "SQS queue " + target : "Kinesis stream " + target;
        String key = sqs ? "dead-letter.sqs-queue-url" : "dead-letter.kinesis-stream";
        if (MISSING_CODES.contains(code)) {
            return "Dead letters cannot be delivered: "
                    + what
                    + " does not exist ("
                    + said
                    + "). Create it or check "
                    + key
                    + ", and that aws.region and aws.endpoint point at its account and region.";
        }
        if (code.toUpperCase(java.util.Locale.ROOT).startsWith("KMS")) {
            return "Dead letters cannot be delivered: not allowed to use the KMS key of "
                    + what
                    + " ("
                    + said
                    + "). Grant the job's role kms:GenerateDataKey and kms:Decrypt on that key.";
        }
        return "Dead letters cannot be delivered: not allowed to write to "
                + what
                + " ("
                + said
                + "). Grant the job's role "
                + (sqs ? "sqs:SendMessage" : "kinesis:PutRecords")
                + " on it (deploy/iam-policy.json), or check "
                + key
                + " and aws.credentials.";
    }
}
