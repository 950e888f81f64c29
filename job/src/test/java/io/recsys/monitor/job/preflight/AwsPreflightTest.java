package io.recsys.monitor.job.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.ConfigLoader;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.cli.UserError;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * The pre-flight check's rules without AWS: which errors end the run and with what line, which are
 * retried and how often, and which resources a configuration names.
 */
class AwsPreflightTest {
    private static final AwsResource STREAM =
            new AwsResource(
                    AwsResource.Kind.KINESIS_STREAM, "recsys-predictions", "kinesis.stream");
    private static final AwsResource TOPIC =
            new AwsResource(
                    AwsResource.Kind.SNS_TOPIC,
                    "arn:aws:sns:us-east-1:123456789012:recsys-critical-alerts",
                    "sns.critical-topic-arn");

    private final List<Duration> waits = new ArrayList<>();

    private static KinesisException kinesisError(String code, int status, String message) {
        return (KinesisException)
                KinesisException.builder()
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage(message)
                                        .build())
                        .statusCode(status)
                        .build();
    }

    private static SnsException snsError(String code, int status, String message) {
        return (SnsException)
                SnsException.builder()
                        .awsErrorDetails(
                                AwsErrorDetails.builder()
                                        .errorCode(code)
                                        .errorMessage(message)
                                        .build())
                        .statusCode(status)
                        .build();
    }

    private static SdkClientException connectionRefused() {
        return SdkClientException.builder()
                .message("Unable to execute HTTP request: Connection refused")
                .cause(new ConnectException("Connection refused"))
                .build();
    }

    private AwsPreflight preflight(AwsResource.Kind kind, AwsPreflight.ResourceProbe probe) {
        Map<AwsResource.Kind, AwsPreflight.ResourceProbe> probes =
                new EnumMap<>(AwsResource.Kind.class);
        probes.put(kind, probe);
        return new AwsPreflight(probes, "region us-east-1", waits::add);
    }

    @Test
    void classifiesWhatCannotHealApartFromWhatMay() {
        assertThat(
                        PreflightFailure.classify(
                                kinesisError("ResourceNotFoundException", 400, "not found")))
                .isEqualTo(PreflightFailure.Kind.NOT_FOUND);
        assertThat(PreflightFailure.classify(snsError("NotFound", 404, "Topic does not exist")))
                .isEqualTo(PreflightFailure.Kind.NOT_FOUND);
        assertThat(PreflightFailure.classify(kinesisError("AccessDeniedException", 400, "no")))
                .isEqualTo(PreflightFailure.Kind.ACCESS_DENIED);
        assertThat(PreflightFailure.classify(snsError("AuthorizationError", 403, "no")))
                .isEqualTo(PreflightFailure.Kind.ACCESS_DENIED);
        assertThat(PreflightFailure.classify(snsError("", 403, "forbidden")))
                .isEqualTo(PreflightFailure.Kind.ACCESS_DENIED);
        assertThat(PreflightFailure.classify(kinesisError("UnrecognizedClientException", 400, "")))
                .isEqualTo(PreflightFailure.Kind.BAD_CREDENTIALS);
        assertThat(PreflightFailure.classify(snsError("InvalidClientTokenId", 403, "")))
                .isEqualTo(PreflightFailure.Kind.BAD_CREDENTIALS);
        assertThat(PreflightFailure.classify(kinesisError("LimitExceededException", 400, "")))
                .isEqualTo(PreflightFailure.Kind.THROTTLED);
        assertThat(PreflightFailure.classify(snsError("Throttled", 400, "")))
                .isEqualTo(PreflightFailure.Kind.THROTTLED);
        assertThat(PreflightFailure.classify(kinesisError("", 503, "")))
                .isEqualTo(PreflightFailure.Kind.THROTTLED);
        assertThat(PreflightFailure.classify(connectionRefused()))
                .isEqualTo(PreflightFailure.Kind.UNREACHABLE);
        assertThat(PreflightFailure.classify(kinesisError("ValidationException", 400, "name")))
                .isEqualTo(PreflightFailure.Kind.OTHER);
        assertThat(
                        PreflightFailure.classify(
                                SdkClientException.create("Unable to load credentials")))
                .isEqualTo(PreflightFailure.Kind.OTHER);
    }

    @Test
    void anUnknownStreamEndsTheRunAtOnceNamingStreamAndKey() {
        int[] calls = {0};
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            calls[0]++;
                            throw kinesisError(
                                    "ResourceNotFoundException",
                                    400,
                                    "Stream recsys-predictions under account 123456789012 not"
                                            + " found.");
                        });

        assertThatThrownBy(() -> check.check(List.of(STREAM)))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(
                        "Kinesis stream 'recsys-predictions' does not exist in region us-east-1")
                .hasMessageContaining("correct kinesis.stream")
                .hasMessageNotContaining("\n");
        assertThat(calls[0]).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void accessDeniedNamesTheIamActionToGrant() {
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.SNS_TOPIC,
                        r -> {
                            throw snsError(
                                    "AuthorizationError",
                                    403,
                                    "User: arn:aws:sts::123456789012:assumed-role/job is not"
                                            + "\nauthorized to perform: SNS:GetTopicAttributes");
                        });

        assertThatThrownBy(() -> check.check(List.of(TOPIC)))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(
                        "Access denied to SNS topic"
                                + " 'arn:aws:sns:us-east-1:123456789012:recsys-critical-alerts'"
                                + " (sns.critical-topic-arn)")
                .hasMessageContaining("Grant the job's role sns:GetTopicAttributes")
                .hasMessageNotContaining("\n");
        assertThat(waits).isEmpty();
    }

    @Test
    void accessDeniedToAStreamNamesDescribeStreamSummary() {
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            throw kinesisError("AccessDeniedException", 400, "not authorized");
                        });

        assertThatThrownBy(() -> check.check(List.of(STREAM)))
                .hasMessageContaining("(kinesis.stream)")
                .hasMessageContaining("kinesis:DescribeStreamSummary");
    }

    @Test
    void anUnreachableEndpointIsTriedThreeTimesWithGrowingWaitsThenEndsTheRun() {
        int[] calls = {0};
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            calls[0]++;
                            throw connectionRefused();
                        });

        assertThatThrownBy(() -> check.check(List.of(STREAM)))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("Cannot reach Kinesis in region us-east-1")
                .hasMessageContaining("(kinesis.stream)")
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("aws.endpoint");
        assertThat(calls[0]).isEqualTo(AwsPreflight.ATTEMPTS);
        assertThat(waits)
                .containsExactly(
                        AwsPreflight.FIRST_BACKOFF, AwsPreflight.FIRST_BACKOFF.multipliedBy(2));
    }

    @Test
    void aNetworkErrorThatHealsWithinTheRetriesPasses() {
        int[] calls = {0};
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            if (++calls[0] < 2) {
                                throw connectionRefused();
                            }
                        });

        check.check(List.of(STREAM));

        assertThat(calls[0]).isEqualTo(2);
        assertThat(waits).hasSize(1);
    }

    @Test
    void throttlingThatOutlastsTheRetriesDoesNotStopTheRun() {
        int[] calls = {0};
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            calls[0]++;
                            throw kinesisError("LimitExceededException", 400, "slow down");
                        });

        check.check(List.of(STREAM));

        assertThat(calls[0]).isEqualTo(AwsPreflight.ATTEMPTS);
    }

    @Test
    void rejectedCredentialsPointAtTheCredentialsChain() {
        AwsPreflight check =
                preflight(
                        AwsResource.Kind.KINESIS_STREAM,
                        r -> {
                            throw kinesisError("UnrecognizedClientException", 400, "invalid token");
                        });

        assertThatThrownBy(() -> check.check(List.of(STREAM)))
                .hasMessageStartingWith("Kinesis rejected the job's credentials")
                .hasMessageContaining("aws.credentials");
    }

    @Test
    void resourcesAreTheStreamsOfAKinesisSourceAndTheTopicsOfAwsSinks() {
        MonitorConfig config =
                new ConfigLoader()
                        .set("source.type", "kinesis")
                        .set("kinesis.stream", "predictions")
                        .set("kinesis.feedback-stream", "feedback")
                        .set("sinks.type", "aws")
                        .set("sns.critical-topic-arn", "arn:aws:sns:us-east-1:1:critical")
                        .set("sns.warning-topic-arn", "arn:aws:sns:us-east-1:1:other")
                        .set("sns.ml-topic-arn", "arn:aws:sns:us-east-1:1:other")
                        .load();

        assertThat(AwsPreflight.resources(config))
                .containsExactly(
                        new AwsResource(
                                AwsResource.Kind.KINESIS_STREAM, "predictions", "kinesis.stream"),
                        new AwsResource(
                                AwsResource.Kind.KINESIS_STREAM,
                                "feedback",
                                "kinesis.feedback-stream"),
                        new AwsResource(
                                AwsResource.Kind.SNS_TOPIC,
                                "arn:aws:sns:us-east-1:1:critical",
                                "sns.critical-topic-arn"),
                        new AwsResource(
                                AwsResource.Kind.SNS_TOPIC,
                                "arn:aws:sns:us-east-1:1:other",
                                "sns.warning-topic-arn"));
    }

    @Test
    void aLocalRunNamesNoAwsResource() {
        assertThat(AwsPreflight.resources(new ConfigLoader().load())).isEmpty();
    }
}
