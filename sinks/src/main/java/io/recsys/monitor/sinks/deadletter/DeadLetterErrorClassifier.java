package io.recsys.monitor.sinks.deadletter;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

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

    /** The verdict on a request that failed as a whole. */
    public static Verdict ofRequest(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            String code = errorCode(service);
            if (isSetupError(service)) {
                return Verdict.SETUP;
            }
            if (TRANSIENT_CODES.contains(code)
                    || service.isThrottlingException()
                    || service.isClockSkewException()
                    || service.statusCode() >= 500) {
                return Verdict.RETRY;
            }
            return Verdict.FAIL;
        }
        if (e instanceof SdkClientException) {
            // Timeouts and broken connections pass; missing credentials or a bad endpoint do not.
            return e instanceof ApiCallTimeoutException
                            || e instanceof ApiCallAttemptTimeoutException
                            || hasCause(e, IOException.class)
                            || hasCause(e, TimeoutException.class)
                    ? Verdict.RETRY
                    : Verdict.FAIL;
        }
        return hasCause(e, IOException.class) ? Verdict.RETRY : Verdict.FAIL;
    }

    private static boolean isSetupError(AwsServiceException e) {
        String code = errorCode(e);
        return MISSING_CODES.contains(code) || ACCESS_CODES.contains(code) || e.statusCode() == 403;
    }

    /**
     * The one-line message that ends the run: what the service said about which queue or stream,
     * and what to change: the configuration key, or the IAM action to grant.
     */
    public static String setupMessage(
            Throwable error, DeadLetterDestination destination, String target) {
        Throwable e = unwrap(error);
        String said = describe(e);
        String code = e instanceof AwsServiceException ? errorCode((AwsServiceException) e) : "";
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

    /** {@code code: message, HTTP status} for a service error, else the exception's own text. */
    static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            AwsErrorDetails details = service.awsErrorDetails();
            String message =
                    details != null && details.errorMessage() != null
                            ? details.errorMessage()
                            : service.getMessage();
            return errorCode(service) + ": " + message + ", HTTP " + service.statusCode();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The exception the SDK's future failed with, without its completion wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        return details == null || details.errorCode() == null ? "" : details.errorCode();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
