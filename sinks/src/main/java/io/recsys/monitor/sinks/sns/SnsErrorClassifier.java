package io.recsys.monitor.sinks.sns;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.sinks.aws.AwsFailure;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.connector.base.sink.throwable.FatalExceptionClassifier;
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
 *       outside the SDK) fails it too, because no amount of retrying fixes it. The request rules
 *       are a {@link FatalExceptionClassifier} chain ({@link #fatalErrors}) on the SDK's own
 *       predicates ({@link AwsFailure#isTransient}).
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

    /**
     * The fatal errors of a {@code PublishBatch} to {@code topicArn}, first match wins: a setup
     * error, then anything that is not transient. Each fails the job for good with {@link
     * #failureMessage}; what passes is retried.
     */
    public static FatalExceptionClassifier fatalErrors(String topicArn, String configKeys) {
        Function<Throwable, Exception> fail =
                error -> {
                    Throwable cause = AwsFailure.unwrap(error);
                    String message = failureMessage(cause, topicArn, configKeys);
                    // The same answer after any restart (a missing topic, access denied, a request
                    // SNS calls malformed): the job ends instead of restarting.
                    return new UnrecoverableFailure(
                            message, new SnsAlertSinkException(message, cause));
                };
        return FatalExceptionClassifier.createChain(
                new FatalExceptionClassifier(SnsErrorClassifier::isSetupError, fail),
                new FatalExceptionClassifier(error -> !isTransient(error), fail));
    }

    /** The verdict on a {@code PublishBatch} request that failed as a whole. */
    public static Verdict ofRequest(Throwable error) {
        // isFatal answers false when a classifier of the chain took the error as fatal.
        return fatalErrors("", "").isFatal(error, fatal -> {}) ? Verdict.RETRY : Verdict.FAIL;
    }

    /** Whether another attempt may succeed: throttling, a 5xx, a clock skew, the network. */
    static boolean isTransient(Throwable error) {
        return AwsFailure.isTransient(error, TRANSIENT_ERROR_CODES)
                || AwsFailure.isClockSkew(error);
    }

    /** Whether {@code error} says the topic or the credentials are wrong (not a bug, not load). */
    public static boolean isSetupError(Throwable error) {
        return AwsFailure.hasErrorCode(error, SETUP_ERROR_CODES, Set.of(403));
    }

    /**
     * The sentence that fails the job: what SNS said about which topic, and which configuration key
     * to check, e.g. "SNS topic arn:aws:sns:...:alerts-critical does not exist (NotFound: Topic
     * does not exist). Check sns.critical-topic-arn: ...".
     */
    public static String failureMessage(Throwable error, String topicArn, String configKeys) {
        String said = AwsFailure.describe(error);
        if (!isSetupError(error)) {
            return "SNS PublishBatch to topic "
                    + topicArn
                    + " failed and will not succeed on retry ("
                    + said
                    + ")";
        }
        String code = AwsFailure.errorCode(error);
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
}
