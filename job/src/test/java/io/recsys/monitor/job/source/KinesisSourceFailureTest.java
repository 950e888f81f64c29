package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.net.ConnectException;
import java.util.List;
import org.apache.flink.kinesis.shaded.com.amazonaws.AmazonServiceException;
import org.apache.flink.kinesis.shaded.com.amazonaws.SdkClientException;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.AccessDeniedException;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.ProvisionedThroughputExceededException;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.ResourceNotFoundException;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.junit.jupiter.api.Test;

/**
 * Which errors of the Kinesis connector (its relocated AWS SDKs) end the job without a restart, and
 * the line they end it with.
 */
class KinesisSourceFailureTest {
    private static final List<String> STREAMS = List.of("recsys-predictions", "recsys-feedback");

    private static <E extends AmazonServiceException> E v1(E e, String code, int status) {
        e.setErrorCode(code);
        e.setStatusCode(status);
        return e;
    }

    @Test
    void aStreamDeletedWhileRunningEndsTheJobNamingStreamsAndKeys() {
        RuntimeException wrapped =
                new RuntimeException(
                        "shard consumer failed",
                        v1(
                                new ResourceNotFoundException(
                                        "Stream recsys-feedback under account 123456789012 not"
                                                + " found."),
                                "ResourceNotFoundException",
                                400));

        UnrecoverableFailure failure = KinesisSourceFailure.unrecoverable(wrapped, STREAMS);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage())
                .startsWith(
                        "The job stopped: Kinesis stream recsys-predictions / recsys-feedback"
                                + " (kinesis.stream, kinesis.feedback-stream) no longer exists")
                .contains("Stream recsys-feedback under account 123456789012 not found.")
                .doesNotContain("\n");
        // What makes Flink's failure handler skip the restart strategy.
        assertThat(
                        ThrowableClassifier.findThrowableOfThrowableType(
                                new RuntimeException(failure), ThrowableType.NonRecoverableError))
                .isPresent();
    }

    @Test
    void accessDeniedNamesTheActionsToGrant() {
        UnrecoverableFailure failure =
                KinesisSourceFailure.unrecoverable(
                        v1(
                                new AccessDeniedException("not authorized to GetRecords"),
                                "AccessDeniedException",
                                400),
                        List.of("recsys-predictions"));

        assertThat(failure.getMessage())
                .contains(
                        "access denied reading Kinesis stream recsys-predictions (kinesis.stream)")
                .contains("kinesis:GetRecords");
    }

    @Test
    void throttlingAndNetworkErrorsAreLeftToRetriesAndTheRestartStrategy() {
        assertThat(
                        KinesisSourceFailure.unrecoverable(
                                v1(
                                        new ProvisionedThroughputExceededException("slow down"),
                                        "ProvisionedThroughputExceededException",
                                        400),
                                STREAMS))
                .isNull();
        assertThat(
                        KinesisSourceFailure.unrecoverable(
                                new SdkClientException(
                                        "Unable to execute HTTP request",
                                        new ConnectException("Connection refused")),
                                STREAMS))
                .isNull();
        assertThat(
                        KinesisSourceFailure.unrecoverable(
                                v1(new AmazonServiceException("internal"), "InternalFailure", 500),
                                STREAMS))
                .isNull();
    }
}
