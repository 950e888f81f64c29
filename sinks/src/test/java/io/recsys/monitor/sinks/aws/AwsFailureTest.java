package io.recsys.monitor.sinks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

class AwsFailureTest {

    @Test
    void readsTheServicesOwnCodeAndMessageThroughTheFuturesWrappers() {
        AwsServiceException e =
                serviceError("InvalidParameterValue", "The value NaN is invalid.", 400);
        Throwable wrapped = new CompletionException(new ExecutionException(e));

        assertThat(AwsFailure.unwrap(wrapped)).isSameAs(e);
        assertThat(AwsFailure.errorCode(wrapped)).isEqualTo("InvalidParameterValue");
        assertThat(AwsFailure.message(wrapped)).isEqualTo("The value NaN is invalid.");
        assertThat(AwsFailure.describe(wrapped))
                .isEqualTo("InvalidParameterValue: The value NaN is invalid., HTTP 400");
        assertThat(AwsFailure.hasErrorCode(wrapped, Set.of("InvalidParameterValue"), Set.of()))
                .isTrue();
        assertThat(AwsFailure.hasErrorCode(wrapped, Set.of(), Set.of(400))).isTrue();
        assertThat(AwsFailure.hasErrorCode(wrapped, Set.of("Other"), Set.of(403))).isFalse();
    }

    @Test
    void anErrorWithoutAServiceAnswerHasNoCode() {
        IOException e = new IOException("Connection reset by peer");

        assertThat(AwsFailure.errorCode(e)).isEmpty();
        assertThat(AwsFailure.message(new CompletionException(e)))
                .isEqualTo("Connection reset by peer");
        assertThat(AwsFailure.describe(e)).isEqualTo("IOException: Connection reset by peer");
        assertThat(AwsFailure.hasErrorCode(e, Set.of(""), Set.of(0))).isFalse();
    }

    @Test
    void transientAsTheSdkSaysPlusTheCodesASinkAdds() {
        assertThat(AwsFailure.isTransient(serviceError("Throttling", "slow down", 400), Set.of()))
                .as("the SDK's throttling codes")
                .isTrue();
        assertThat(AwsFailure.isTransient(serviceError("Whatever", "busy", 429), Set.of()))
                .isTrue();
        assertThat(AwsFailure.isTransient(serviceError("Whatever", "oops", 500), Set.of()))
                .isTrue();
        assertThat(AwsFailure.isTransient(serviceError("Throttled", "x", 400), Set.of()))
                .as("SNS's own throttling code, unknown to the SDK")
                .isFalse();
        assertThat(AwsFailure.isTransient(serviceError("Throttled", "x", 400), Set.of("Throttled")))
                .isTrue();
        assertThat(AwsFailure.isTransient(serviceError("AccessDenied", "no", 403), Set.of()))
                .isFalse();

        assertThat(AwsFailure.isTransient(RetryableException.create("try again"), Set.of()))
                .as("SdkException.retryable()")
                .isTrue();
        assertThat(
                        AwsFailure.isTransient(
                                SdkClientException.create(
                                        "Unable to execute HTTP request", new IOException("reset")),
                                Set.of()))
                .isTrue();
        assertThat(AwsFailure.isTransient(SdkClientException.create("no credentials"), Set.of()))
                .isFalse();
        assertThat(AwsFailure.isTransient(new IllegalStateException("bug"), Set.of())).isFalse();
    }

    private static AwsServiceException serviceError(String code, String message, int status) {
        return CloudWatchException.builder()
                .awsErrorDetails(
                        AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .statusCode(status)
                .build();
    }
}
