package io.recsys.monitor.sinks.cloudwatch;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Says what a failed PutMetricData means for its datums. The request succeeds or fails as a whole,
 * so the answer is per request:
 *
 * <ul>
 *   <li>{@link Kind#RETRY}: throttling, a 5xx or an I/O error; the datums go back to the buffer and
 *       the sink's rate limiting slows down.
 *   <li>{@link Kind#ACCESS}: permissions or credentials; no retry helps, the job fails with what to
 *       check.
 *   <li>{@link Kind#INVALID_DATA}: the service refused a datum; handled by {@link
 *       InvalidDataPolicy}.
 *   <li>{@link Kind#UNEXPECTED}: anything else. It fails the job rather than looping on retries:
 *       the restart strategy then retries with its own backoff, and the checkpointed buffer keeps
 *       the datums.
 * </ul>
 */
public final class CloudWatchErrorClassifier {

    /** What to do with the datums of a failed request. */
    public enum Kind {
        RETRY,
        ACCESS,
        INVALID_DATA,
        UNEXPECTED
    }

    private static final Set<String> THROTTLING =
            codes(
                    "Throttling",
                    "ThrottlingException",
                    "ThrottledException",
                    "RequestThrottled",
                    "RequestThrottledException",
                    "TooManyRequestsException",
                    "LimitExceeded",
                    "LimitExceededException",
                    "RequestLimitExceeded");

    private static final Set<String> SERVICE_FAULTS =
            codes(
                    "InternalServiceFault",
                    "InternalServiceError",
                    "InternalFailure",
                    "InternalError",
                    "ServiceUnavailable",
                    "ServiceUnavailableException",
                    "RequestTimeout",
                    "RequestTimeoutException");

    private static final Set<String> ACCESS =
            codes(
                    "AccessDenied",
                    "AccessDeniedException",
                    "NotAuthorized",
                    "UnauthorizedOperation",
                    "UnrecognizedClientException",
                    "InvalidClientTokenId",
                    "SignatureDoesNotMatch",
                    "IncompleteSignature",
                    "MissingAuthenticationToken",
                    "ExpiredToken",
                    "ExpiredTokenException",
                    "OptInRequired",
                    "ResourceNotFound",
                    "ResourceNotFoundException");

    private static final Set<String> INVALID_DATA =
            codes(
                    "InvalidParameterValue",
                    "InvalidParameterCombination",
                    "MissingParameter",
                    "MissingRequiredParameter",
                    "InvalidParameterInput",
                    "ValidationError");

    private CloudWatchErrorClassifier() {}

    /** The kind of {@code error}, looking through the SDK's and the futures' wrappers. */
    public static Kind classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            String code = errorCode(service);
            int status = service.statusCode();
            if (THROTTLING.contains(code) || status == 429 || service.isThrottlingException()) {
                return Kind.RETRY;
            }
            if (SERVICE_FAULTS.contains(code) || status >= 500) {
                return Kind.RETRY;
            }
            if (ACCESS.contains(code) || status == 401 || status == 403) {
                return Kind.ACCESS;
            }
            if (INVALID_DATA.contains(code)) {
                return Kind.INVALID_DATA;
            }
            return Kind.UNEXPECTED;
        }
        if (isNetworkError(e)) {
            return Kind.RETRY;
        }
        return Kind.UNEXPECTED;
    }

    /** The service's error code, or an empty string when there is none (e.g. an I/O error). */
    public static String errorCode(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            if (service.awsErrorDetails() != null
                    && service.awsErrorDetails().errorCode() != null) {
                return service.awsErrorDetails().errorCode();
            }
        }
        return "";
    }

    /** The service's own message when there is one, else the exception's. */
    public static String message(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            if (service.awsErrorDetails() != null
                    && service.awsErrorDetails().errorMessage() != null) {
                return service.awsErrorDetails().errorMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** The exception under {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean isNetworkError(Throwable e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        // The async client reports connection resets, refused connections and read timeouts as an
        // SdkClientException caused by an IOException (or Netty's subclasses of it).
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return e instanceof SdkClientException
                && e.getMessage() != null
                && (e.getMessage().contains("Connection reset")
                        || e.getMessage().contains("connection was closed")
                        || e.getMessage().contains("Unable to execute HTTP request"));
    }

    private static Set<String> codes(String... codes) {
        return Collections.unmodifiableSet(new HashSet<>(Arrays.asList(codes)));
    }
}
