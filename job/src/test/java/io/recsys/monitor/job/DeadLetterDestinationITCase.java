package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.job.sink.AwsOutputs;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Dead letters of a whole job in AWS mode reach the chosen durable destination on the emulator:
 * each bad line exactly once as an SQS message (body and attributes) or a Kinesis record (JSON
 * envelope), an oversize line cut to SQS's limit and marked; a queue that does not exist ends the
 * job without restart.
 */
class DeadLetterDestinationITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Larger than SQS's 256 KiB, within Kinesis's 1 MiB. */
    private static final String HUGE = "{\"event_type\":" + "x".repeat(300_000);

    private static final List<String> BAD_LINES =
            List.of(
                    "this is not json",
                    "{\"event_type\":\"prediction\"}",
                    "{\"event_type\":\"teleport\",\"request_id\":\"r-1\"}",
                    "{\"event_type\":\"prediction\",\"request_id\":\"ctl\u0001\"",
                    HUGE);

    private static URI endpoint;
    private static StaticCredentialsProvider credentials;

    @BeforeAll
    static void emulator() {
        endpoint = MotoServer.shared().endpoint();
        credentials =
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        // The test's own Kinesis client talks to the emulator too (JSON, not CBOR).
        System.setProperty("aws.cborEnabled", "false");
    }

    private static <B extends AwsClientBuilder<B, ?>> B aws(B b) {
        return b.endpointOverride(endpoint)
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials);
    }

    @Test
    void eachBadLineBecomesOneSqsMessageWithItsReason() throws Exception {
        String run = Long.toString(System.nanoTime());
        try (SqsClient sqs = aws(SqsClient.builder()).httpClient(http()).build()) {
            String queueUrl = sqs.createQueue(b -> b.queueName("dead-letters-" + run)).queueUrl();
            Map<String, String> settings = settings(run);
            settings.put("dead-letter.destination", "sqs");
            settings.put("dead-letter.sqs-queue-url", queueUrl);
            runToEnd(MonitorConfig.of(settings));

            List<Message> messages = receiveAll(sqs, queueUrl, BAD_LINES.size());
            assertThat(messages).hasSize(BAD_LINES.size());
            Map<String, String> attributes =
                    sqs.getQueueAttributes(
                                    b ->
                                            b.queueUrl(queueUrl)
                                                    .attributeNames(
                                                            QueueAttributeName
                                                                    .APPROXIMATE_NUMBER_OF_MESSAGES))
                            .attributesAsStrings();
            // Nothing left beyond what was received: each dead letter once.
            assertThat(attributes.get("ApproximateNumberOfMessages")).isEqualTo("0");

            Map<String, Message> byBody = new HashMap<>();
            Message huge = null;
            for (Message m : messages) {
                assertThat(m.messageAttributes())
                        .containsKeys("category", "reason", "source", "received_at", "raw_bytes");
                assertThat(string(m, "source")).isEqualTo("test");
                if (m.body().length() > 1000) {
                    huge = m;
                } else {
                    byBody.put(m.body(), m);
                }
            }
            assertThat(byBody)
                    .containsOnlyKeys(
                            "this is not json",
                            "{\"event_type\":\"prediction\"}",
                            "{\"event_type\":\"teleport\",\"request_id\":\"r-1\"}",
                            "{\"event_type\":\"prediction\",\"request_id\":\"ctl\uFFFD\"");
            assertThat(string(byBody.get("this is not json"), "category"))
                    .isEqualTo("invalid_json");
            assertThat(string(byBody.get("{\"event_type\":\"prediction\"}"), "reason"))
                    .isNotBlank();
            assertThat(
                            string(
                                    byBody.get(
                                            "{\"event_type\":\"prediction\",\"request_id\":\"ctl\uFFFD\""),
                                    "replaced_characters"))
                    .isEqualTo("1");
            assertThat(huge).isNotNull();
            assertThat(string(huge, "truncated")).isEqualTo("true");
            assertThat(HUGE).startsWith(huge.body());
            assertThat(huge.body().length()).isLessThan(262_144).isGreaterThan(200_000);
        }
    }

    @Test
    void eachBadLineBecomesOneKinesisRecordWithItsEnvelope() throws Exception {
        String run = Long.toString(System.nanoTime());
        String stream = "dead-letters-" + run;
        try (KinesisClient kinesis = aws(KinesisClient.builder()).httpClient(http()).build()) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(1));
            kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
            Map<String, String> settings = settings(run);
            settings.put("dead-letter.destination", "kinesis");
            settings.put("dead-letter.kinesis-stream", stream);
            runToEnd(MonitorConfig.of(settings));

            String shard = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
            String iterator =
                    kinesis.getShardIterator(
                                    b ->
                                            b.streamName(stream)
                                                    .shardId(shard)
                                                    .shardIteratorType(
                                                            ShardIteratorType.TRIM_HORIZON))
                            .shardIterator();
            List<JsonNode> envelopes = new ArrayList<>();
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(from));
                for (Record r : page.records()) {
                    envelopes.add(JSON.readTree(r.data().asUtf8String()));
                }
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
            assertThat(envelopes).hasSize(BAD_LINES.size());
            List<String> raws = new ArrayList<>();
            for (JsonNode e : envelopes) {
                assertThat(e.get("category").asText()).isNotBlank();
                assertThat(e.get("reason").asText()).isNotBlank();
                assertThat(e.get("source").asText()).isEqualTo("test");
                assertThat(e.has("truncated")).isFalse();
                raws.add(e.get("raw").asText());
            }
            // The job keeps at most dead-letter.max-raw-chars of a line; this one fits whole.
            assertThat(raws).containsExactlyInAnyOrderElementsOf(BAD_LINES);
        }
    }

    @Test
    void missingQueueEndsTheJobWithoutRestart() throws Exception {
        String run = Long.toString(System.nanoTime());
        String missing = endpoint + "/123456789012/no-such-queue-" + run;
        Map<String, String> settings = settings(run);
        settings.put("dead-letter.destination", "sqs");
        settings.put("dead-letter.sqs-queue-url", missing);
        MonitorConfig config = MonitorConfig.of(settings);

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // A job restarted on this failure would never end: the test's deadline would catch it.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        MonitoringJob.build(env, new FixedInput(lines(), config), new AwsOutputs(config), config);
        JobClient job = env.executeAsync("dead-letters-missing-queue");
        long start = System.nanoTime();
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            fail("the job ended although its dead-letter queue does not exist");
        } catch (ExecutionException e) {
            Optional<UnrecoverableFailure> failure =
                    ExceptionUtils.findThrowable(e, UnrecoverableFailure.class);
            assertThat(failure).isPresent();
            assertThat(failure.get().getMessage())
                    .contains("SQS queue " + missing + " does not exist")
                    .contains("dead-letter.sqs-queue-url");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE);
        } finally {
            LiveJobs.cancel(job);
        }
    }

    /** AWS mode on the emulator, with the SNS topics the alert sink needs. */
    private static Map<String, String> settings(String run) {
        Map<String, String> topics = new HashMap<>();
        try (SnsClient sns = aws(SnsClient.builder()).httpClient(http()).build()) {
            for (String route : new String[] {"critical", "warning", "ml"}) {
                topics.put(route, sns.createTopic(b -> b.name(route + "-" + run)).topicArn());
            }
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("sinks.type", "aws");
        settings.put("aws.endpoint", endpoint.toString());
        settings.put("aws.region", MotoServer.REGION);
        settings.put("aws.credentials", "emulator");
        settings.put("metrics.namespace", "RecsysDeadLetterTest" + run);
        settings.put("sns.critical-topic-arn", topics.get("critical"));
        settings.put("sns.warning-topic-arn", topics.get("warning"));
        settings.put("sns.ml-topic-arn", topics.get("ml"));
        settings.put("cloudwatch.max-time-in-buffer", "200ms");
        settings.put("sns.max-time-in-buffer", "200ms");
        // Keep whole lines, so that the oversize one reaches the destination's limit.
        settings.put("dead-letter.max-raw-chars", "1048576");
        settings.put("events.max-bytes", "1048576");
        return settings;
    }

    /** The bad lines among two valid predictions. */
    private static List<String> lines() {
        long t = System.currentTimeMillis() - TestEvents.HOUR;
        List<String> lines = new ArrayList<>();
        lines.add(TestEvents.prediction("r-ok-1", t, "v1", "new", 2));
        lines.addAll(BAD_LINES);
        lines.add(TestEvents.prediction("r-ok-2", t + 1000, "v1", "new", 2));
        return lines;
    }

    private static void runToEnd(MonitorConfig config) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        MonitoringJob.build(env, new FixedInput(lines(), config), new AwsOutputs(config), config);
        env.execute("dead-letters-to-aws");
    }

    private static List<Message> receiveAll(SqsClient sqs, String queueUrl, int expected) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> page =
                    sqs.receiveMessage(
                                    b ->
                                            b.queueUrl(queueUrl)
                                                    .maxNumberOfMessages(10)
                                                    .visibilityTimeout(600)
                                                    .messageAttributeNames("All")
                                                    .waitTimeSeconds(1))
                            .messages();
            messages.addAll(page);
            if (page.isEmpty() && messages.size() >= expected) {
                break;
            }
        }
        return messages;
    }

    private static String string(Message m, String attribute) {
        MessageAttributeValue value = m.messageAttributes().get(attribute);
        return value == null ? null : value.stringValue();
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.create();
    }
}
