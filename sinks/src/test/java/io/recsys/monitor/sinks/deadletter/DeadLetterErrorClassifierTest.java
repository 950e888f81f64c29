package io.recsys.monitor.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.sinks.deadletter.DeadLetterErrorClassifier.Verdict;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class DeadLetterErrorClassifierTest {
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/dl";

    @Test
    void throttlingServerErrorsAndTimeoutsAreRetried() {
        assertThat(DeadLetterErrorClassifier.ofRequest(sqs("RequestThrottled", 400)))
                .isEqualTo(Verdict.RETRY);
        assertThat(
                        DeadLetterErrorClassifier.ofRequest(
                                kinesis("ProvisionedThroughputExceededException", 400)))
                .isEqualTo(Verdict.RETRY);
        assertThat(DeadLetterErrorClassifier.ofRequest(kinesis("LimitExceededException", 400)))
                .isEqualTo(Verdict.RETRY);
        assertThat(DeadLetterErrorClassifier.ofRequest(sqs("Whatever", 503)))
                .isEqualTo(Verdict.RETRY);
        assertThat(DeadLetterErrorClassifier.ofRequest(kinesis("InternalFailure", 500)))
                .isEqualTo(Verdict.RETRY);
        assertThat(
                        DeadLetterErrorClassifier.ofRequest(
                                new CompletionException(
                                        SdkClientException.create(
                                                "Unable to execute HTTP request",
                                                new ConnectException("refused")))))
                .isEqualTo(Verdict.RETRY);
        assertThat(DeadLetterErrorClassifier.ofRequest(ApiCallAttemptTimeoutException.create(1)))
                .isEqualTo(Verdict.RETRY);
        assertThat(DeadLetterErrorClassifier.ofRequest(new IOException("reset")))
                .isEqualTo(Verdict.RETRY);
    }

    @Test
    void missingQueueOrStreamAndDeniedAccessAreSetupErrors() {
        for (String code :
                new String[] {
                    "AWS.SimpleQueueService.NonExistentQueue",
                    "QueueDoesNotExist",
                    "AccessDenied",
                    "KMS.AccessDeniedException",
                    "InvalidClientTokenId"
                }) {
            assertThat(DeadLetterErrorClassifier.ofRequest(new CompletionException(sqs(code, 400))))
                    .as(code)
                    .isEqualTo(Verdict.SETUP);
        }
        for (String code :
                new String[] {
                    "ResourceNotFoundException", "AccessDeniedException", "KMSAccessDeniedException"
                }) {
            assertThat(DeadLetterErrorClassifier.ofRequest(kinesis(code, 400)))
                    .as(code)
                    .isEqualTo(Verdict.SETUP);
        }
        assertThat(DeadLetterErrorClassifier.ofRequest(sqs("Anything", 403)))
                .isEqualTo(Verdict.SETUP);
    }

    @Test
    void malformedRequestsAndOtherErrorsFail() {
        assertThat(DeadLetterErrorClassifier.ofRequest(sqs("InvalidParameterValue", 400)))
                .isEqualTo(Verdict.FAIL);
        assertThat(DeadLetterErrorClassifier.ofRequest(SdkClientException.create("no creds")))
                .isEqualTo(Verdict.FAIL);
        assertThat(DeadLetterErrorClassifier.ofRequest(new NullPointerException()))
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void setupMessageNamesTheQueueOrStreamAndWhatToGrant() {
        assertThat(
                        DeadLetterErrorClassifier.setupMessage(
                                sqs("AWS.SimpleQueueService.NonExistentQueue", 400),
                                DeadLetterDestination.SQS,
                                QUEUE))
                .startsWith("Dead letters cannot be delivered: SQS queue " + QUEUE + " does not")
                .contains("dead-letter.sqs-queue-url")
                .doesNotContain("\n");
        assertThat(
                        DeadLetterErrorClassifier.setupMessage(
                                sqs("AccessDenied", 403), DeadLetterDestination.SQS, QUEUE))
                .contains("not allowed to write to SQS queue " + QUEUE)
                .contains("sqs:SendMessage");
        assertThat(
                        DeadLetterErrorClassifier.setupMessage(
                                kinesis("AccessDeniedException", 400),
                                DeadLetterDestination.KINESIS,
                                "recsys-dead-letters"))
                .contains("Kinesis stream recsys-dead-letters")
                .contains("kinesis:PutRecords");
        assertThat(
                        DeadLetterErrorClassifier.setupMessage(
                                kinesis("ResourceNotFoundException", 400),
                                DeadLetterDestination.KINESIS,
                                "recsys-dead-letters"))
                .contains("Kinesis stream recsys-dead-letters does not exist")
                .contains("dead-letter.kinesis-stream");
        assertThat(
                        DeadLetterErrorClassifier.setupMessage(
                                kinesis("KMSAccessDeniedException", 400),
                                DeadLetterDestination.KINESIS,
                                "s"))
                .contains("kms:GenerateDataKey");
    }

    private static AwsServiceException sqs(String code, int status) {
        return SqsException.builder().statusCode(status).awsErrorDetails(details(code)).build();
    }

    private static AwsServiceException kinesis(String code, int status) {
        return KinesisException.builder().statusCode(status).awsErrorDetails(details(code)).build();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build();
    }
}
