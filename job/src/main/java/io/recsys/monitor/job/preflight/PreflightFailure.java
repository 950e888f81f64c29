package io.recsys.monitor.job.preflight;

import io.recsys.monitor.sinks.aws.AwsFailure;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * What an error of a pre-flight call means, and the one line that tells the user what to fix. Pure
 * (no I/O), so that every rule is tested directly: a resource that does not exist, access denied
 * and rejected credentials cannot heal and end the run; throttling, a 5xx and network errors may,
 * and are retried a few times.
 */
public final class PreflightFailure {

    /** The classes of failure, by what heals them. */
    public enum Kind {
        /** The resource does not exist (in this account, region and endpoint). */
        NOT_FOUND,
        /** The credentials are valid but may not call the check's action on the resource. */
        ACCESS_DENIED,
        /** The service does not accept the credentials at all. */
        BAD_CREDENTIALS,
        /** Throttling or a fault of the service: worth another try. */
        THROTTLED,
        /** No answer: connection refused, a timeout, a broken connection. Worth another try. */
        UNREACHABLE,
        /** Anything else (an invalid name, no credentials or region found): no retry helps. */
        OTHER
    }

    private static final Set<String> NOT_FOUND =
            Set.of(
                    "ResourceNotFoundException",
                    "ResourceNotFound",
                    "NotFound",
                    "NotFoundException",
                    "AWS.SimpleQueueService.NonExistentQueue",
                    "QueueDoesNotExist");

    private static final Set<String> ACCESS_DENIED =
            Set.of(
                    "AccessDenied",
                    "AccessDeniedException",
                    "AuthorizationError",
                    "AuthorizationErrorException",
                    "NotAuthorized",
                    "UnauthorizedOperation",
                    "KMSAccessDeniedException");

    private static final Set<String> BAD_CREDENTIALS =
            Set.of(
                    "UnrecognizedClientException",
                    "InvalidClientTokenId",
                    "InvalidAccessKeyId",
                    "SignatureDoesNotMatch",
                    "IncompleteSignature",
                    "MissingAuthenticationToken",
                    "ExpiredToken",
                    "ExpiredTokenException",
                    "InvalidSecurity");

    private static final Set<String> THROTTLED =
            Set.of(
                    "Throttling",
                    "ThrottlingException",
                    "Throttled",
                    "ThrottledException",
                    "LimitExceededException",
                    "RequestLimitExceeded",
                    "TooManyRequestsException",
                    "ProvisionedThroughputExceededException",
                    "InternalFailure",
                    "InternalError",
                    "ServiceUnavailable",
                    "RequestTimeout");

    private PreflightFailure() {}

    /** The class of {@code error}, looking through the futures' wrappers and causes. */
    public static Kind classify(Throwable error) {
        Throwable e = AwsFailure.unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            if (service.isThrottlingException()) {
                return Kind.THROTTLED;
            }
            return classify(AwsFailure.errorCode(service), service.statusCode());
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Kind.UNREACHABLE;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return Kind.UNREACHABLE;
            }
        }
        return Kind.OTHER;
    }

    /**
     * The class of a service's answer by its error code and HTTP status, for clients whose
     * exception types differ (the Kinesis connector's relocated SDKs).
     */
    public static Kind classify(String code, int status) {
        if (BAD_CREDENTIALS.contains(code)) {
            return Kind.BAD_CREDENTIALS;
        }
        if (ACCESS_DENIED.contains(code) || status == 403) {
            return Kind.ACCESS_DENIED;
        }
        if (NOT_FOUND.contains(code) || status == 404) {
            return Kind.NOT_FOUND;
        }
        if (THROTTLED.contains(code) || status == 429 || status >= 500) {
            return Kind.THROTTLED;
        }
        return Kind.OTHER;
    }

    /** Whether another try of the same call may succeed. */
    public static boolean isTransient(Kind kind) {
        return kind == Kind.THROTTLED || kind == Kind.UNREACHABLE;
    }

    /**
     * The one line that ends the run: the resource, the key that names it and what to do. {@code
     * where} says which account view the check had, e.g. "region us-east-1 at
     * http://127.0.0.1:5000".
     */
    public static String message(AwsResource resource, Throwable error, String where) {
        Throwable e = AwsFailure.unwrap(error);
        String said = describe(e);
        AwsResource.Kind kind = resource.kind();
        switch (classify(e)) {
            case NOT_FOUND:
                return kind.noun()
                        + " '"
                        + resource.name()
                        + "' does not exist in "
                        + where
                        + " ("
                        + said
                        + "). Create it, or correct "
                        + resource.configKey()
                        + " (and aws.region, aws.endpoint).";
            case ACCESS_DENIED:
                return "Access denied to "
                        + resource.describe()
                        + " ("
                        + said
                        + "). Grant the job's role "
                        + kind.iamAction()
                        + " on it (deploy/iam-policy.json lists every action the job needs).";
            case BAD_CREDENTIALS:
                return kind.service()
                        + " rejected the job's credentials while checking "
                        + resource.describe()
                        + " ("
                        + said
                        + "). Check aws.credentials and the AWS default credentials chain"
                        + " (environment, profile, role).";
            case UNREACHABLE:
                return "Cannot reach "
                        + kind.service()
                        + " in "
                        + where
                        + " to check "
                        + resource.describe()
                        + " ("
                        + said
                        + "). Check aws.endpoint, aws.region and the network.";
            default:
                return "Cannot use "
                        + resource.describe()
                        + " in "
                        + where
                        + " ("
                        + said
                        + "). Check "
                        + resource.configKey()
                        + ", aws.region, aws.endpoint and aws.credentials.";
        }
    }

    /** {@code code: message, HTTP status} for a service error, else the exception's own text. */
    static String describe(Throwable e) {
        String text;
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            AwsErrorDetails details = service.awsErrorDetails();
            String message =
                    details != null && details.errorMessage() != null
                            ? details.errorMessage()
                            : service.getMessage();
            text =
                    AwsFailure.errorCode(service)
                            + ": "
                            + message
                            + ", HTTP "
                            + service.statusCode();
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text =
                    root == e
                            ? e.getClass().getSimpleName() + ": " + e.getMessage()
                            : e.getClass().getSimpleName()
                                    + ": "
                                    + root.getClass().getSimpleName()
                                    + ": "
                                    + root.getMessage();
        }
        // The error ends the run as one line: a service message may span several.
        return text.replaceAll("\\s+", " ").trim();
    }
}
