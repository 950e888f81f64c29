package io.recsys.monitor.sinks.cloudwatch;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.sinks.aws.AwsFailure;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.sink.throwable.FatalExceptionClassifier;

/**
 * Says what a failed PutMetricData means for its datums, as a {@link FatalExceptionClassifier}
 * chain. The request succeeds or fails as a whole, so the answer is per request; first match wins:
 *
 * <ul>
 *   <li>permissions or credentials: no retry or restart helps, the job ends with what to check;
 *   <li>a datum the service refused, under {@link InvalidDataPolicy#FAIL}: the job ends; under
 *       {@link InvalidDataPolicy#DROP} it passes the chain and the writer isolates the datum;
 *   <li>anything else that is not transient: the job fails rather than looping on retries; the
 *       restart strategy then retries with its own backoff, and the checkpointed buffer keeps the
 *       datums.
 * </ul>
 *
 * <p>What passes is transient ({@link #isTransient}: throttling, a 5xx, an I/O error): the datums
 * go back to the buffer and the sink's rate limiting slows down.
 */
public final class CloudWatchErrorClassifier {

    /** Throttling and service faults that the SDK's own predicates do not recognise. */
    static final Set<String> MORE_TRANSIENT_CODES =
            Set.of(
                    "LimitExceeded",
                    "LimitExceededException",
                    "InternalServiceFault",
                    "InternalServiceError",
                    "InternalFailure",
                    "InternalError",
                    "ServiceUnavailable",
                    "ServiceUnavailableException",
                    "RequestTimeout",
                    "RequestTimeoutException");

    static final Set<String> ACCESS_CODES =
            Set.of(
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

    private static final Set<Integer> ACCESS_STATUSES = Set.of(401, 403);

    static final Set<String> INVALID_DATA_CODES =
            Set.of(
                    "InvalidParameterValue",
                    "InvalidParameterCombination",
                    "MissingParameter",
                    "MissingRequiredParameter",
                    "InvalidParameterInput",
                    "ValidationError");

    private CloudWatchErrorClassifier() {}

    /**
     * The fatal errors of a PutMetricData of {@code datums} to {@code namespace}, each mapped to
     * the exception that fails the job.
     */
    public static FatalExceptionClassifier fatalErrors(
            String namespace, List<MetricDatumEntry> datums, InvalidDataPolicy policy) {
        FatalExceptionClassifier access =
                new FatalExceptionClassifier(
                        CloudWatchErrorClassifier::isAccessError,
                        error ->
                                unrecoverable(
                                        accessMessage(
                                                namespace,
                                                AwsFailure.errorCode(error),
                                                AwsFailure.message(error)),
                                        error));
        FatalExceptionClassifier unexpected =
                new FatalExceptionClassifier(
                        error ->
                                !isTransient(error)
                                        && (policy == InvalidDataPolicy.FAIL
                                                || !isInvalidData(error)),
                        error ->
                                new CloudWatchSinkException(
                                        "PutMetricData for namespace '"
                                                + namespace
                                                + "' failed unexpectedly ("
                                                + codeOrNone(error)
                                                + ": "
                                                + AwsFailure.message(error)
                                                + "). Failing rather than retrying forever;"
                                                + " the restart strategy retries, and buffered"
                                                + " datums are kept in the checkpoint.",
                                        AwsFailure.unwrap(error)));
        if (policy == InvalidDataPolicy.DROP) {
            return FatalExceptionClassifier.createChain(access, unexpected);
        }
        FatalExceptionClassifier invalidData =
                new FatalExceptionClassifier(
                        CloudWatchErrorClassifier::isInvalidData,
                        error ->
                                unrecoverable(
                                        invalidDataMessage(
                                                namespace,
                                                AwsFailure.errorCode(error)
                                                        + ": "
                                                        + AwsFailure.message(error),
                                                "one of "
                                                        + datums.size()
                                                        + " datums, the first "
                                                        + datums.get(0)),
                                        error));
        return FatalExceptionClassifier.createChain(access, invalidData, unexpected);
    }

    /** Whether another attempt may succeed: throttling, a service fault, a network error. */
    public static boolean isTransient(Throwable error) {
        return AwsFailure.isTransient(error, MORE_TRANSIENT_CODES);
    }

    /** Whether the job's role or credentials may not put metric data (no restart helps). */
    public static boolean isAccessError(Throwable error) {
        return !isTransient(error) && AwsFailure.hasErrorCode(error, ACCESS_CODES, ACCESS_STATUSES);
    }

    /** Whether the service refused a datum of the request. */
    public static boolean isInvalidData(Throwable error) {
        return !isTransient(error) && AwsFailure.hasErrorCode(error, INVALID_DATA_CODES, Set.of());
    }

    /** The service's error code, or "no error code" for messages. */
    static String codeOrNone(Throwable error) {
        String code = AwsFailure.errorCode(error);
        return code.isEmpty() ? "no error code" : code;
    }

    /**
     * Access denied and a datum refused under {@code cloudwatch.invalid-data=fail} get the same
     * answer after any restart: the job ends instead of restarting (Flink does not restart a
     * failure with an {@link UnrecoverableFailure} in its chain), with the sink's sentence.
     */
    private static UnrecoverableFailure unrecoverable(String message, Throwable error) {
        return new UnrecoverableFailure(
                message, new CloudWatchSinkException(message, AwsFailure.unwrap(error)));
    }

    static String accessMessage(String namespace, String code, String message) {
        return "CloudWatch refused PutMetricData for namespace '"
                + namespace
                + "' ("
                + code
                + ": "
                + message
                + "). Check the IAM policy of the job's role: it must allow"
                + " cloudwatch:PutMetricData (with a cloudwatch:namespace condition, that must"
                + " match '"
                + namespace
                + "'); check that the credentials are valid and not expired, and that aws.region"
                + " and aws.endpoint point at the intended account and region.";
    }

    static String invalidDataMessage(String namespace, String problem, String which) {
        return "CloudWatch cannot accept a datum for namespace '"
                + namespace
                + "': "
                + problem
                + " ("
                + which
                + "). cloudwatch.invalid-data=fail stops the job; with"
                + " cloudwatch.invalid-data=drop such datums are dead-lettered and counted"
                + " in "
                + CloudWatchMetricsSinkWriter.DATUMS_REJECTED
                + ".";
    }
}
