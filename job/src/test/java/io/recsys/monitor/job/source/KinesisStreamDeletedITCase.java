package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.LauncherJvm;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * A Kinesis stream deleted while the job reads it ends the run, without restarts, with exit status
 * 1 and one line that names the streams and their keys, and no stack trace on the console. The run
 * is the launcher's child JVM on the README's emulator configuration; the emulator is moto.
 */
class KinesisStreamDeletedITCase {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration END_TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path dir;

    private static URI endpoint;

    @BeforeAll
    static void emulator() {
        endpoint = MotoServer.shared().endpoint();
        System.setProperty("aws.cborEnabled", "false");
    }

    @Test
    void aStreamDeletedWhileRunningEndsTheRunWithOneLine() throws Exception {
        String run = Long.toString(System.nanoTime());
        String predictions = "predictions-" + run;
        String feedback = "feedback-" + run;
        int webUiPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            webUiPort = socket.getLocalPort();
        }
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
            try (LauncherJvm job =
                    LauncherJvm.start(
                            dir,
                            "run",
                            List.of(
                                    "run",
                                    "--config",
                                    LauncherJvm.repositoryRoot()
                                            .resolve("flink-application-properties-dev.json")
                                            .toString(),
                                    "--set",
                                    "aws.endpoint=" + endpoint,
                                    "--set",
                                    "kinesis.stream=" + predictions,
                                    "--set",
                                    "kinesis.feedback-stream=" + feedback,
                                    "--set",
                                    "sinks.type=local",
                                    "--output",
                                    dir.resolve("output").toString(),
                                    "--set",
                                    "job.web-ui-port=" + webUiPort))) {
                awaitRunningJob(job, webUiPort);

                kinesis.deleteStream(b -> b.streamName(feedback).enforceConsumerDeletion(true));

                assertThat(job.process().waitFor(END_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("ended within " + END_TIMEOUT + ": " + job.outputs())
                        .isTrue();
                assertThat(job.process().exitValue()).as(job.outputs()).isEqualTo(1);
                List<String> lines =
                        job.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
                assertThat(lines.get(lines.size() - 1))
                        .as(job.outputs())
                        .startsWith(
                                "recsys-monitor: The job stopped: Kinesis stream "
                                        + predictions
                                        + " / "
                                        + feedback
                                        + " (kinesis.stream, kinesis.feedback-stream) no longer"
                                        + " exists");
                assertThat(job.stderr())
                        .as("no stack trace on the console")
                        .doesNotContain("\tat ");
            }
        }
    }

    private static void awaitRunningJob(LauncherJvm job, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(job.process().isAlive()).as(job.outputs()).isTrue();
            try {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/jobs"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"RUNNING\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // The web UI is not up yet.
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no running job within " + START_TIMEOUT + ": " + job.outputs());
    }
}
