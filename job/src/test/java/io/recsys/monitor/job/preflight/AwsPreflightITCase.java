package io.recsys.monitor.job.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.LauncherJvm;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A run of the README's emulator configuration whose AWS resources cannot be used ends, before the
 * job starts, with exit status 1 and one line naming the resource and its key, within 10 seconds of
 * the JVM's start: an unknown stream, an unknown topic, an endpoint nothing listens on. The run is
 * the launcher's child JVM; the emulator is moto. Access denied is covered by {@link
 * AwsPreflightTest} (moto enforces IAM only for a whole server, started so).
 */
class AwsPreflightITCase {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir Path dir;

    private static URI endpoint;

    @BeforeAll
    static void emulator() {
        endpoint = MotoServer.shared().endpoint();
        System.setProperty("aws.cborEnabled", "false");
    }

    @Test
    void anUnknownStreamEndsTheRunWithOneLine() throws Exception {
        String stream = "missing-" + System.nanoTime();

        String line = failingRun(endpoint.toString(), "--set", "kinesis.stream=" + stream);

        assertThat(line)
                .startsWith("recsys-monitor: Kinesis stream '" + stream + "' does not exist")
                .contains("correct kinesis.stream");
    }

    @Test
    void anUnknownTopicEndsTheRunWithOneLine() throws Exception {
        String run = Long.toString(System.nanoTime());
        String predictions = "predictions-" + run;
        String feedback = "feedback-" + run;
        try (KinesisClient kinesis =
                KinesisClient.builder()
                        .endpointOverride(endpoint)
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            for (String stream : List.of(predictions, feedback)) {
                kinesis.createStream(b -> b.streamName(stream).shardCount(1));
                kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
            }
        }
        String topic = "arn:aws:sns:us-east-1:123456789012:missing-" + run;

        String line =
                failingRun(
                        endpoint.toString(),
                        "--set",
                        "kinesis.stream=" + predictions,
                        "--set",
                        "kinesis.feedback-stream=" + feedback,
                        "--set",
                        "sns.warning-topic-arn=" + topic);

        assertThat(line)
                .startsWith("recsys-monitor: SNS topic")
                .contains("'" + topic + "' does not exist")
                .contains("sns.warning-topic-arn");
    }

    @Test
    void anUnreachableEndpointEndsTheRunWithOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        String line = failingRun("http://127.0.0.1:" + port);

        assertThat(line)
                .startsWith("recsys-monitor: Cannot reach Kinesis in region us-east-1 at")
                .contains("(kinesis.stream)")
                .contains("Connection refused");
    }

    /**
     * Runs {@code run --config flink-application-properties-dev.json} against {@code endpoint},
     * asserts that it exits with status 1 within the limit, and returns its one line of errors.
     */
    private String failingRun(String awsEndpoint, String... overrides) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("run");
        args.add("--config");
        args.add(
                LauncherJvm.repositoryRoot()
                        .resolve("flink-application-properties-dev.json")
                        .toString());
        args.add("--set");
        args.add("aws.endpoint=" + awsEndpoint);
        args.add("--output");
        args.add(dir.resolve("output").toString());
        args.addAll(List.of(overrides));
        long started = System.nanoTime();
        try (LauncherJvm run = LauncherJvm.start(dir, "run", args)) {
            boolean ended = run.process().waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(ended).as("ended within " + LIMIT + ": " + run.outputs()).isTrue();
            assertThat(run.process().exitValue()).as(run.outputs()).isEqualTo(1);
            assertThat(took).isLessThanOrEqualTo(LIMIT);
            List<String> lines =
                    run.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
            assertThat(lines).as(run.outputs()).hasSize(1);
            assertThat(run.stdout()).as(run.outputs()).isBlank();
            return lines.get(0);
        }
    }
}
