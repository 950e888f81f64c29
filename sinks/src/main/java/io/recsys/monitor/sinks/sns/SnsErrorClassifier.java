package io.recsys.monitor.sinks.sns;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;

/**
 * Decides what the SNS sink does with an error, without any I/O, so that the rules are tested
 * directly:
 *
 * <ul>
 *   <li>a failed entry of a {@code PublishBatch} with {@code senderFault=false} (throttling, an
 *       internal error) is {@link Verdict#RETRY retried}; one with {@code senderFault=true} (an
 *       invalid parameter, a message too large, a KMS key problem) is {@link Verdict#REJECT
 *       rejected} for good, because sending it again gets the same answer;
 *   <li>a whole request that failed with throttling, a 5xx, a timeout or an I/O error is retried;
 *       one that failed because the topic does not exist or the credentials may not publish to it
 *       {@link Verdict#FAIL fails} the job at once with a message that names the topic and the
 *       configuration key to check; any other error (a request SNS calls malformed, an error
 *       outside the SDK) fails it too, because no amount of retrying fixes it.
 * </ul>
 */
public final class SnsErrorClassifier {

    /** What to do with a failed entry or request. */
    public enum Verdict {
        /** Send it again (entry by entry for per-entry failures). */
        RETRY,
        /** Give it to the dead letters and move on: the service will never take it. */
        REJECT,
        /** Fail the job: nothing will succeed until someone changes the setup. */
        FAIL
    }

    /** Errors that say the topic or the credentials are wrong: only a person can fix them. */
    static final Set<String> SETUP_ERROR_CODES =
            Collections.unmodifiableSet(
                    new HashSet<>(
                            Arrays.asList(
                                    "NotFound",
                                    "NotFoundException",
                                    "AuthorizationError",
                                    "AuthorizationErrorException",
                                    "InvalidClientTokenId",
                                    "AccessDenied",
                                    "AccessDeniedException",
                                    "UnrecognizedClientException",
                                    "SignatureDoesNotMatch",
                                    "MissingAuthenticationToken",
                                    "ExpiredToken",
                                    "ExpiredTokenException",
                                    "InvalidSecurity",
                                    "OptInRequired",
                                    "KMSDisabled",
                                    "KMSAccessDenied",
                                    "KMSNotFound",
                                    "KMSInvalidState",
                                    "KMSOptInRequired")));

    /**
     * Errors worth another try besides 5xx and the SDK's own throttling codes: SNS says {@code
     * Throttled}, which the SDK does not list.
     */
    static final Set<String> TRANSIENT_ERROR_CODES =
            Collections.unmodifiableSet(
                    new HashSet<>(
                            Arrays.asList(
                                    "Throttled",
                                    "ThrottledException",
                                    "KMSThrottling",
                                    "InternalError",
                                    "InternalFailure",
                                    "ServiceUnavailable",
                                    "RequestTimeout")));

    private SnsErrorClassifier() {}

    /** The verdict on one failed entry of a {@code PublishBatch} response. */
    public static Verdict ofEntry(BatchResultErrorEntry failure) {
        return Boolean.TRUE.equals(failure.senderFault()) ? Verdict.REJECT : Verdict.RETRY;
    }

    /** The verdict on a {@code PublishBatch} request that failed as a whole. */
    public static Verdict ofRequest(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            String code = errorCode(service);
            if (SETUP_ERROR_CODES.contains(code) || service.statusCode() == 403) {
                return Verdict.FAIL;
            }
            if (TRANSIENT_ERROR_CODES.contains(code)
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

    /** Whether {@code error} says the topic or the credentials are wrong (not a bug, not load). */
    public static boolean isSetupError(Throwable error) {
        Throwable e = unwrap(error);
        if (!(e instanceof AwsServiceException)) {
            return false;
        }
        AwsServiceException service = (AwsServiceException) e;
        return SETUP_ERROR_CODES.contains(errorCode(service)) || service.statusCode() == 403;
    }

    /**
     * The sentence that fails the job: what SNS said about which topic, and which configuration key
     * to check, e.g. "SNS topic arn:aws:sns:...:alerts-critical does not exist (NotFound: Topic
     * does not exist). Check sns.critical-topic-arn: ...".
     */
    public static String failureMessage(Throwable error, String topicArn, String configKeys) {
        Throwable e = unwrap(error);
        String said = describe(e);
        if (!isSetupError(e)) {
            return "SNS PublishBatch to topic "
                    + topicArn
                    + " failed and will not succeed on retry ("
                    + said
                    + ")";
        }
        String code = errorCode((AwsServiceException) e);
        if (code.startsWith("NotFound")) {
            return "SNS topic "
                    + topicArn
                    + " does not exist ("
                    + said
                    + "). Check "
                    + configKeys
                    + ": the ARN must name an existing topic in the account and region the job"
                    + " publishes to (aws.region, aws.endpoint).";
        }
        if (code.startsWith("KMS")) {
            return "SNS cannot use the KMS key of topic "
                    + topicArn
                    + " ("
                    + said
                    + "). Check the key of the topic named by "
                    + configKeys
                    + " and that the job's role may use it (kms:GenerateDataKey, kms:Decrypt).";
        }
        return "Not allowed to publish to SNS topic "
                + topicArn
                + " ("
                + said
                + "). Check "
                + configKeys
                + " and the job's credentials (aws.credentials): they must be valid and allow"
                + " sns:Publish on that topic.";
    }

    /** {@code code: message (HTTP status)} for a service error, else the exception's own text. */
    static String describe(Throwable e) {
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
