package io.recsys.monitor.sinks.cloudwatch;

import static io.recsys.monitor.sinks.cloudwatch.CloudWatchErrorClassifier.Kind.ACCESS;
import static io.recsys.monitor.sinks.cloudwatch.CloudWatchErrorClassifier.Kind.INVALID_DATA;
import static io.recsys.monitor.sinks.cloudwatch.CloudWatchErrorClassifier.Kind.RETRY;
import static io.recsys.monitor.sinks.cloudwatch.CloudWatchErrorClassifier.Kind.UNEXPECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

class CloudWatchErrorClassifierTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "Throttling, 400, RETRY",
        "ThrottlingException, 400, RETRY",
        "LimitExceeded, 400, RETRY",
        "SomethingNew, 429, RETRY",
        "InternalServiceFault, 500, RETRY",
        "ServiceUnavailable, 503, RETRY",
        "SomethingNew, 502, RETRY",
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
    void classifiesServiceErrors(String code, int status, CloudWatchErrorClassifier.Kind kind) {
        CloudWatchException e = serviceError(code, status);
        assertThat(CloudWatchErrorClassifier.classify(e)).isEqualTo(kind);
        assertThat(CloudWatchErrorClassifier.classify(new CompletionException(e)))
                .as("as the async client reports it")
                .isEqualTo(kind);
        assertThat(CloudWatchErrorClassifier.errorCode(new CompletionException(e))).isEqualTo(code);
    }

    @Test
    void retriesNetworkErrors() {
        assertThat(
                        CloudWatchErrorClassifier.classify(
                                new CompletionException(
                                        SdkClientException.create(
                                                "Unable to execute HTTP request",
                                                new ConnectException("Connection refused")))))
                .isEqualTo(RETRY);
        assertThat(CloudWatchErrorClassifier.classify(new IOException("Connection reset by peer")))
                .isEqualTo(RETRY);
        assertThat(
                        CloudWatchErrorClassifier.classify(
                                ApiCallAttemptTimeoutException.builder()
                                        .message("attempt timed out")
                                        .build()))
                .isEqualTo(RETRY);
    }

    @Test
    void failsOnClientErrorsItDoesNotKnow() {
        assertThat(
                        CloudWatchErrorClassifier.classify(
                                SdkClientException.create(
                                        "Unable to load credentials from any of the providers")))
                .isEqualTo(UNEXPECTED);
        assertThat(CloudWatchErrorClassifier.classify(new IllegalStateException("bug")))
                .isEqualTo(UNEXPECTED);
    }

    @Test
    void prefersTheServiceMessage() {
        CloudWatchException e =
                (CloudWatchException)
                        CloudWatchException.builder()
                                .message("outer")
                                .awsErrorDetails(
                                        AwsErrorDetails.builder()
                                                .errorCode("InvalidParameterValue")
                                                .errorMessage("The value NaN is invalid.")
                                                .build())
                                .statusCode(400)
                                .build();
        assertThat(CloudWatchErrorClassifier.message(new CompletionException(e)))
                .isEqualTo("The value NaN is invalid.");
        assertThat(CloudWatchErrorClassifier.classify(e)).isEqualTo(INVALID_DATA);
        assertThat(CloudWatchErrorClassifier.errorCode(new IOException("x"))).isEmpty();
        assertThat(ACCESS).isNotEqualTo(RETRY);
    }

    private static CloudWatchException serviceError(String code, int status) {
        return (CloudWatchException)
                CloudWatchException.builder()
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage(code + " happened")
                                        .build())
                        .statusCode(status)
                        .build();
    }
}
