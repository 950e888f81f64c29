package io.recsys.monitor.sinks.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.sinks.sns.SnsErrorClassifier.Verdict;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.SnsException;

class SnsErrorClassifierTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts-critical";

    @Test
    void senderFaultEntriesAreRejectedOthersRetried() {
        assertThat(SnsErrorClassifier.ofEntry(entry("InvalidParameter", true)))
                .isEqualTo(Verdict.REJECT);
        assertThat(SnsErrorClassifier.ofEntry(entry("KMSAccessDenied", true)))
                .isEqualTo(Verdict.REJECT);
        assertThat(SnsErrorClassifier.ofEntry(entry("Throttled", false))).isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofEntry(entry("InternalError", false)))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofEntry(BatchResultErrorEntry.builder().id("1").build()))
                .isEqualTo(Verdict.RETRY);
    }

    @Test
    void throttlingServerErrorsAndIoAreRetried() {
        assertThat(SnsErrorClassifier.ofRequest(sns("Throttled", 400))).isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(sns("ThrottlingException", 400)))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(sns("TooManyRequests", 429)))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(sns("InternalError", 500)))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(sns("Whatever", 503))).isEqualTo(Verdict.RETRY);
        assertThat(
                        SnsErrorClassifier.ofRequest(
                                new CompletionException(
                                        SdkClientException.create(
                                                "Unable to execute HTTP request",
                                                new ConnectException("refused")))))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(ApiCallAttemptTimeoutException.create(1000)))
                .isEqualTo(Verdict.RETRY);
        assertThat(SnsErrorClassifier.ofRequest(new IOException("reset"))).isEqualTo(Verdict.RETRY);
    }

    @Test
    void missingTopicsAndForbiddenPublishingFailFast() {
        for (String code :
                new String[] {
                    "NotFound", "AuthorizationError", "InvalidClientTokenId", "AccessDenied"
                }) {
            assertThat(SnsErrorClassifier.ofRequest(new CompletionException(sns(code, 400))))
                    .as(code)
                    .isEqualTo(Verdict.FAIL);
            assertThat(SnsErrorClassifier.isSetupError(sns(code, 400))).as(code).isTrue();
        }
        assertThat(SnsErrorClassifier.ofRequest(sns("Anything", 403))).isEqualTo(Verdict.FAIL);
    }

    @Test
    void requestsSnsCallsMalformedAndOtherErrorsFail() {
        assertThat(SnsErrorClassifier.ofRequest(sns("InvalidParameter", 400)))
                .isEqualTo(Verdict.FAIL);
        assertThat(SnsErrorClassifier.ofRequest(sns("BatchEntryIdsNotDistinct", 400)))
                .isEqualTo(Verdict.FAIL);
        assertThat(
                        SnsErrorClassifier.ofRequest(
                                SdkClientException.create("Unable to load credentials")))
                .isEqualTo(Verdict.FAIL);
        assertThat(SnsErrorClassifier.ofRequest(new NullPointerException()))
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void failureMessageNamesTopicAndConfigurationKey() {
        assertThat(
                        SnsErrorClassifier.failureMessage(
                                new CompletionException(sns("NotFound", 404)),
                                TOPIC,
                                "sns.critical-topic-arn"))
                .startsWith(
                        "SNS topic "
                                + TOPIC
                                + " does not exist (NotFound: said NotFound, HTTP 404)")
                .contains("Check sns.critical-topic-arn");
        assertThat(
                        SnsErrorClassifier.failureMessage(
                                sns("AuthorizationError", 403), TOPIC, "sns.ml-topic-arn"))
                .startsWith("Not allowed to publish to SNS topic " + TOPIC)
                .contains("Check sns.ml-topic-arn")
                .contains("sns:Publish");
        assertThat(SnsErrorClassifier.failureMessage(sns("InvalidParameter", 400), TOPIC, "k"))
                .contains(TOPIC)
                .contains("InvalidParameter: said InvalidParameter");
    }

    @Test
    void theChainEndsTheJobWithTheSentenceForTheTopicAndPassesTransientErrors() {
        List<Exception> fatal = new ArrayList<>();
        boolean passes =
                SnsErrorClassifier.fatalErrors(TOPIC, "sns.critical-topic-arn")
                        .isFatal(new CompletionException(sns("NotFound", 404)), fatal::add);

        assertThat(passes).isFalse();
        assertThat(fatal).hasSize(1);
        assertThat(fatal.get(0))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessage(
                        SnsErrorClassifier.failureMessage(
                                sns("NotFound", 404), TOPIC, "sns.critical-topic-arn"))
                .cause()
                .isInstanceOf(SnsAlertSinkException.class)
                .satisfies(
                        e ->
                                assertThat(e.getSuppressed())
                                        .singleElement()
                                        .isInstanceOf(SnsException.class));

        fatal.clear();
        assertThat(
                        SnsErrorClassifier.fatalErrors(TOPIC, "sns.critical-topic-arn")
                                .isFatal(sns("Throttled", 400), fatal::add))
                .isTrue();
        assertThat(fatal).isEmpty();
    }

    private static SnsException sns(String code, int status) {
        return (SnsException)
                SnsException.builder()
                        .statusCode(status)
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage("said " + code)
                                        .serviceName("Sns")
                                        .build())
                        .build();
    }

    private static BatchResultErrorEntry entry(String code, boolean senderFault) {
        return BatchResultErrorEntry.builder()
                .id("1")
                .code(code)
                .message("said " + code)
                .senderFault(senderFault)
                .build();
    }
}
