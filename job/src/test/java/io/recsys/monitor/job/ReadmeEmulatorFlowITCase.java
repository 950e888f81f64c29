package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The README's "Against AWS, or an emulator of it" flow as a user runs it: the streams and topics
 * of docs/deploy.md section 5, {@code run --config flink-application-properties-dev.json} and the
 * README's {@code generate} command, each in a child JVM on exactly the launcher's classpath (the
 * test's classpath once hid a library the launcher lacked), pointed at the test's moto instead of
 * port 5000. Metric points must reach CloudWatch while the job runs without a failure.
 */
class ReadmeEmulatorFlowITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(180);
    private static final String NAMESPACE = "RecommendationSystem";

    @TempDir Path dir;

    private static URI endpoint;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void emulator() {
        endpoint = MotoServer.shared().endpoint();
        // The test's own Kinesis client talks to the emulator too.
        System.setProperty("aws.cborEnabled", "false");
    }

    private static <B extends AwsClientBuilder<B, ?>> B aws(B builder) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(
                                        MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)));
    }

    @Test
    void metricPointsReachCloudWatchFromTheReadmesCommands() throws Exception {
        try (KinesisClient kinesis =
                        aws(KinesisClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                SnsClient sns =
                        aws(SnsClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                CloudWatchClient cloudWatch =
                        aws(CloudWatchClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build()) {
            // docs/deploy.md, section 5 (the names flink-application-properties-dev.json uses).
            for (String stream : List.of("recsys-predictions", "recsys-feedback")) {
                try {
                    kinesis.createStream(b -> b.streamName(stream).shardCount(2));
                } catch (ResourceInUseException alreadyThere) {
                    // Another run of this test on the same emulator made it.
                }
                kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
            }
            for (String route : List.of("critical", "warning", "ml")) {
                sns.createTopic(b -> b.name("recsys-" + route + "-alerts"));
            }
            int datapointsBefore = recentDatapoints(cloudWatch);

            int webUiPort = freePort();
            try (LauncherJvm run =
                            LauncherJvm.start(
                                    dir,
                                    "run",
                                    List.of(
                                            "run",
                                            "--config",
                                            LauncherJvm.repositoryRoot()
                                                    .resolve(
                                                            "flink-application-properties-dev.json")
                                                    .toString(),
                                            "--set",
                                            "aws.endpoint=" + endpoint,
                                            "--set",
                                            "job.web-ui-port=" + webUiPort));
                    LauncherJvm generate = startGenerator(run, webUiPort)) {
                String jobs = "http://127.0.0.1:" + webUiPort + "/jobs";
                long deadline = System.nanoTime() + METRICS_TIMEOUT.toNanos();
                int datapoints = datapointsBefore;
                while (datapoints <= datapointsBefore && System.nanoTime() < deadline) {
                    assertThat(run.process().isAlive()).as(run.outputs()).isTrue();
                    assertThat(generate.process().isAlive()).as(generate.outputs()).isTrue();
                    Thread.sleep(2000);
                    datapoints = recentDatapoints(cloudWatch);
                }
                assertThat(datapoints)
                        .as("datapoints of this run in CloudWatch; " + run.outputs())
                        .isGreaterThan(datapointsBefore);

                String jobId = runningJob(jobs);
                assertThat(jobId).as(run.outputs()).isNotNull();
                JsonNode exceptions = JSON.readTree(get(jobs + "/" + jobId + "/exceptions"));
                assertThat(exceptions.get("exceptionHistory").get("entries"))
                        .as("the job failed and restarted: " + exceptions)
                        .isEmpty();
                assertThat(run.stderr())
                        .as("errors on the console")
                        .doesNotContain("Exception")
                        .doesNotContain("ERROR");
            } finally {
                // The generator's records would slow every later use of the shared emulator.
                for (String stream : List.of("recsys-predictions", "recsys-feedback")) {
                    kinesis.deleteStream(b -> b.streamName(stream).enforceConsumerDeletion(true));
                }
            }
        }
    }

    /** The README's generate command, started once the job runs. */
    private LauncherJvm startGenerator(LauncherJvm run, int webUiPort) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (runningJob("http://127.0.0.1:" + webUiPort + "/jobs") == null) {
            assertThat(run.process().isAlive()).as(run.outputs()).isTrue();
            assertThat(System.nanoTime()).as("job running; " + run.outputs()).isLessThan(deadline);
            Thread.sleep(500);
        }
        return LauncherJvm.start(
                dir,
                "generate",
                List.of(
                        "generate",
                        "--kinesis-stream",
                        "recsys-predictions",
                        "--kinesis-feedback-stream",
                        "recsys-feedback",
                        "--events",
                        "0",
                        "--rate",
                        "1000",
                        "--set",
                        "aws.endpoint=" + endpoint,
                        "--set",
                        "aws.region=us-east-1",
                        "--set",
                        "aws.credentials=emulator",
                        "--set",
                        "kinesis.emulator=true",
                        "--set",
                        "generator.start-time=now"));
    }

    /**
     * The datapoints CloudWatch holds in the namespace for the last and the next hours, summed over
     * its metrics (at most 100 of them, the page a GetMetricData request takes).
     */
    private static int recentDatapoints(CloudWatchClient cloudWatch) {
        List<Metric> metrics =
                cloudWatch.listMetrics(b -> b.namespace(NAMESPACE)).metrics().stream()
                        .limit(100)
                        .collect(java.util.stream.Collectors.toList());
        if (metrics.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery> queries =
                new java.util.ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            Metric metric = metrics.get(i);
            String id = "m" + i;
            queries.add(
                    software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery.builder()
                            .id(id)
                            .metricStat(s -> s.metric(metric).period(60).stat("SampleCount"))
                            .build());
        }
        int datapoints = 0;
        for (MetricDataResult result :
                cloudWatch
                        .getMetricData(
                                b ->
                                        b.metricDataQueries(queries)
                                                .startTime(now.minus(Duration.ofHours(2)))
                                                .endTime(now.plus(Duration.ofHours(2))))
                        .metricDataResults()) {
            datapoints += result.values().size();
        }
        return datapoints;
    }

    /** The id of the running job, or null while there is none. */
    private String runningJob(String jobs) throws InterruptedException {
        try {
            for (JsonNode entry : JSON.readTree(get(jobs)).get("jobs")) {
                if (entry.get("status").asText().equals("RUNNING")) {
                    return entry.get("id").asText();
                }
            }
        } catch (IOException notYet) {
            // The web UI is not up yet.
        }
        return null;
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
