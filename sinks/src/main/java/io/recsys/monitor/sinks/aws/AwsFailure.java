package io.recsys.monitor.sinks.aws;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.base.sink.throwable.FatalExceptionClassifier;
import org.apache.flink.util.ExceptionUtils;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a failed AWS call says, read with the SDK's own predicates ({@link
 * AwsServiceException#isThrottlingException()}, {@link SdkException#retryable()}), for the sinks'
 * {@link FatalExceptionClassifier} chains. Each sink lists only the fatal errors of its service and
 * the few transient codes the SDK does not know; whatever passes a chain is retried.
 */
public final class AwsFailure {

    /** Errors that mean the call got no answer, so that the service may never have seen it. */
    private static final List<Class<? extends Throwable>> NO_ANSWER =
            List.of(
                    IOException.class,
                    TimeoutException.class,
                    ApiCallTimeoutException.class,
                    ApiCallAttemptTimeoutException.class);

    private AwsFailure() {}

    /** The service's error in {@code error}'s causes, if the service answered at all. */
    public static Optional<AwsServiceException> serviceError(Throwable error) {
        return ExceptionUtils.findThrowable(error, AwsServiceException.class);
    }

    /**
     * Whether another attempt may succeed: the service throttled (the SDK's throttling codes or
     * HTTP 429) or failed on its side (5xx, or one of {@code moreTransientCodes}); or no answer
     * came: a timeout, an I/O error, an error the SDK marks retryable.
     */
    public static boolean isTransient(Throwable error, Set<String> moreTransientCodes) {
        Optional<AwsServiceException> service = serviceError(error);
        if (service.isPresent()) {
            AwsServiceException e = service.get();
            return e.isThrottlingException()
                    || e.statusCode() >= 500
                    || moreTransientCodes.contains(errorCode(e));
        }
        // The async client reports resets, refused connections and read timeouts as an
        // SdkClientException caused by an IOException (or Netty's subclasses of it).
        return ExceptionUtils.findThrowable(error, SdkException.class)
                        .filter(SdkException::retryable)
                        .isPresent()
                || NO_ANSWER.stream()
                        .anyMatch(type -> ExceptionUtils.findThrowable(error, type).isPresent());
    }

    /** Whether the service refused the request's time: a clock skew the next request corrects. */
    public static boolean isClockSkew(Throwable error) {
        return serviceError(error).filter(AwsServiceException::isClockSkewException).isPresent();
    }

    /** Whether the service answered with one of {@code codes} or one of {@code statuses}. */
    public static boolean hasErrorCode(Throwable error, Set<String> codes, Set<Integer> statuses) {
        return serviceError(error)
                .filter(e -> codes.contains(errorCode(e)) || statuses.contains(e.statusCode()))
                .isPresent();
    }

    /** The service's error code, or an empty string when there is none (e.g. an I/O error). */
    public static String errorCode(Throwable error) {
        return serviceError(error).map(AwsFailure::errorCode).orElse("");
    }

    /** The service's own message when there is one, else the exception's. */
    public static String message(Throwable error) {
        Optional<AwsServiceException> service = serviceError(error);
        if (service.isPresent()) {
            AwsErrorDetails details = service.get().awsErrorDetails();
            if (details != null && details.errorMessage() != null) {
                return details.errorMessage();
            }
            return String.valueOf(service.get().getMessage());
        }
        return String.valueOf(unwrap(error).getMessage());
    }

    /** {@code code: message, HTTP status} for a service error, else the exception's own text. */
    public static String describe(Throwable error) {
        Optional<AwsServiceException> service = serviceError(error);
        if (service.isPresent()) {
            return errorCode(service.get())
                    + ": "
                    + message(error)
                    + ", HTTP "
                    + service.get().statusCode();
        }
        Throwable e = unwrap(error);
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The exception the SDK's future failed with, without its completion wrappers. */
    public static Throwable unwrap(Throwable error) {
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
}
