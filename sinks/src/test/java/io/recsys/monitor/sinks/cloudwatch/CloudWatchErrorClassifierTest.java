package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

class CloudWatchErrorClassifierTest {

    private static final String NAMESPACE = "RecSys/Monitor";
    private static final List<MetricDatumEntry> DATUMS =
            List.of(
                    new MetricDatumEntry(
                            NAMESPACE, "CTR", Map.of(), 1.5, "Percent", 1_767_225_600_000L, 60));

    /** What the chain does with an error: retry it, or the job fails and how. */
    enum Outcome {
        RETRY,
        ACCESS,
        INVALID_DATA,
        UNEXPECTED
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "Throttling, 400, RETRY",
        "ThrottlingException, 400, RETRY",
        "LimitExceeded, 400, RETRY",
        "SomethingNew, 429, RETRY",
        "InternalServiceFault, 500, RETRY",
        "ServiceUnavailable, 503, RETRY",
        "SomethingNew, 502, RETRY",
        "RequestTimeout, 408, RETRY",
        "AccessDenied, 403, ACCESS",
        "AccessDeniedException, 400, ACCESS",
        "NotAuthorized, 400, ACCESS",
        "UnrecognizedClientException, 400, ACCESS",
        "InvalidClientTokenId, 403, ACCESS",
        "ResourceNotFound, 404, ACCESS",
        "SomethingNew, 401, ACCESS",
        "InvalidParameterValue, 400, INVALID_DATA",
        "InvalidParameterCombination, 400, INVALID_DATA",
        "MissingParameter, 400, INVALID_DATA",
        "SomethingNew, 400, UNEXPECTED"
    })
    void classifiesServiceErrors(String code, int status, Outcome expected) {
        CloudWatchException e = serviceError(code, status);
        assertThat(outcome(e, InvalidDataPolicy.FAIL)).isEqualTo(expected);
        assertThat(outcome(new CompletionException(e), InvalidDataPolicy.FAIL))
                .as("as the async client reports it")
                .isEqualTo(expected);
        assertThat(outcome(e, InvalidDataPolicy.DROP))
                .as("under cloudwatch.invalid-data=drop the writer isolates refused datums")
                .isEqualTo(expected == Outcome.INVALID_DATA ? Outcome.RETRY : expected);
        assertThat(CloudWatchErrorClassifier.isInvalidData(e))
                .isEqualTo(expected == Outcome.INVALID_DATA);
    }

    @Test
    void retriesNetworkErrors() {
        assertThat(
                        outcome(
                                new CompletionException(
                                        SdkClientException.create(
                                                "Unable to execute HTTP request",
                                                new ConnectException("Connection refused"))),
                                InvalidDataPolicy.FAIL))
                .isEqualTo(Outcome.RETRY);
        assertThat(outcome(new IOException("Connection reset by peer"), InvalidDataPolicy.FAIL))
                .isEqualTo(Outcome.RETRY);
        assertThat(
                        outcome(
                                ApiCallAttemptTimeoutException.builder()
                                        .message("attempt timed out")
                                        .build(),
                                InvalidDataPolicy.FAIL))
                .isEqualTo(Outcome.RETRY);
    }

    @Test
    void failsOnClientErrorsItDoesNotKnow() {
        assertThat(
                        outcome(
                                SdkClientException.create(
                                        "Unable to load credentials from any of the providers"),
                                InvalidDataPolicy.FAIL))
                .isEqualTo(Outcome.UNEXPECTED);
        assertThat(outcome(new IllegalStateException("bug"), InvalidDataPolicy.FAIL))
                .isEqualTo(Outcome.UNEXPECTED);
    }

    @Test
    void accessErrorsEndTheJobNamingTheNamespaceAndTheServicesWords() {
        Exception fatal =
                fatal(
                        new CompletionException(serviceError("AccessDenied", 403)),
                        InvalidDataPolicy.FAIL);
        assertThat(fatal)
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessage(
                        CloudWatchErrorClassifier.accessMessage(
                                NAMESPACE, "AccessDenied", "AccessDenied happened"))
                .hasMessageContaining("cloudwatch:PutMetricData")
                .cause()
                .isInstanceOf(CloudWatchSinkException.class)
                .cause()
                .isInstanceOf(CloudWatchException.class);
    }

    @Test
    void invalidDataUnderFailEndsTheJobNamingTheFirstDatum() {
        Exception fatal =
                fatal(
                        serviceError("InvalidParameterValue", 400, "The value NaN is invalid."),
                        InvalidDataPolicy.FAIL);
        assertThat(fatal)
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageStartingWith(
                        "CloudWatch cannot accept a datum for namespace 'RecSys/Monitor':"
                                + " InvalidParameterValue: The value NaN is invalid. (one of 1"
                                + " datums, the first ")
                .hasMessageContaining("cloudwatch.invalid-data=drop");
    }

    @Test
    void unexpectedErrorsFailTheJobForTheRestartStrategy() {
        Exception fatal =
                fatal(serviceError("SomethingNew", 400, "what is this"), InvalidDataPolicy.DROP);
        assertThat(fatal)
                .isInstanceOf(CloudWatchSinkException.class)
                .hasMessage(
                        "PutMetricData for namespace 'RecSys/Monitor' failed unexpectedly"
                                + " (SomethingNew: what is this). Failing rather than retrying"
                                + " forever; the restart strategy retries, and buffered datums"
                                + " are kept in the checkpoint.");
        assertThat(fatal(new IllegalStateException("bug"), InvalidDataPolicy.FAIL))
                .hasMessageContaining("failed unexpectedly (no error code: bug)");
    }

    private static Outcome outcome(Throwable error, InvalidDataPolicy policy) {
        Exception fatal = fatal(error, policy);
        if (fatal == null) {
            return Outcome.RETRY;
        }
        if (fatal instanceof CloudWatchSinkException) {
            return Outcome.UNEXPECTED;
        }
        return fatal.getMessage().startsWith("CloudWatch refused PutMetricData")
                ? Outcome.ACCESS
                : Outcome.INVALID_DATA;
    }

    /** The exception the chain fails the job with, or null when the error passes (a retry). */
    private static Exception fatal(Throwable error, InvalidDataPolicy policy) {
        List<Exception> fatal = new ArrayList<>();
        boolean passes =
                CloudWatchErrorClassifier.fatalErrors(NAMESPACE, DATUMS, policy)
                        .isFatal(error, fatal::add);
        assertThat(fatal).hasSize(passes ? 0 : 1);
        return passes ? null : fatal.get(0);
    }

    private static CloudWatchException serviceError(String code, int status) {
        return serviceError(code, status, code + " happened");
    }

    private static CloudWatchException serviceError(String code, int status, String message) {
        return (CloudWatchException)
                CloudWatchException.builder()
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage(message)
                                        .build())
                        .statusCode(status)
                        .build();
    }
}
