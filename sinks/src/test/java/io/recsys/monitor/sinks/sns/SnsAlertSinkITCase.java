package io.recsys.monitor.sinks.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.sinks.aws.AwsConnection;
import io.recsys.monitor.sinks.aws.SinkDeadLetters;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SNS alert sink in a (mini) cluster: against the moto emulator, with three topics each
 * subscribed by an SQS queue, and against a fake client that fails entries on purpose.
 *
 * <p>The queues get the standard SNS envelope (no raw delivery), because only the envelope carries
 * the subject and the topic ARN; moto puts the message attributes into the envelope as SNS does.
 */
class SnsAlertSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MotoServer moto;
    private SnsClient sns;
    private SqsClient sqs;

    @BeforeEach
    void startFromNothing() {
        moto = MotoServer.shared();
        moto.reset();
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        sns =
                SnsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(credentials)
                        .build();
        sqs =
                SqsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(credentials)
                        .build();
        FlakySns.reset();
        RecordingDeadLetters.LETTERS.clear();
    }

    @AfterEach
    void closeClients() {
        sns.close();
        sqs.close();
    }

    @Test
    void publishesEveryAlertOnceToTheTopicOfItsRoute() throws Exception {
        String critical = sns.createTopic(b -> b.name("alerts-critical")).topicArn();
        String warning = sns.createTopic(b -> b.name("alerts-warning")).topicArn();
        String ml = sns.createTopic(b -> b.name("alerts-ml")).topicArn();
        Map<String, String> queues = new LinkedHashMap<>();
        for (String topic : List.of(critical, warning, ml)) {
            queues.put(topic, subscribedQueue(topic));
        }

        List<Alert> alerts = mixedAlerts(25);
        Map<String, List<Alert>> expected = new HashMap<>();
        AlertRouting routing = new AlertRouting(critical, warning, ml);
        for (Alert alert : alerts) {
            expected.computeIfAbsent(routing.topicFor(alert), t -> new ArrayList<>()).add(alert);
        }
        // Every topic gets something, including alerts routed by severity.
        assertThat(expected).containsOnlyKeys(critical, warning, ml);

        StreamExecutionEnvironment env = environment();
        env.setParallelism(2);
        env.fromData(alerts)
                .sinkTo(
                        SnsAlertSink.builder()
                                .setCriticalTopicArn(critical)
                                .setWarningTopicArn(warning)
                                .setMlTopicArn(ml)
                                .setMaxTimeInBufferMS(100)
                                .setDeadLetters(new RecordingDeadLetters())
                                .setClientProvider(
                                        SnsClientProvider.from(
                                                AwsConnection.emulator(
                                                        MotoServer.REGION, moto.endpoint())))
                                .build())
                .name("alerts-sns");
        env.execute("sns-alert-sink");

        for (Map.Entry<String, String> queue : queues.entrySet()) {
            String topic = queue.getKey();
            List<JsonNode> envelopes = receive(queue.getValue(), expected.get(topic).size());
            List<Alert> received = new ArrayList<>();
            for (JsonNode envelope : envelopes) {
                assertThat(envelope.path("TopicArn").asText()).isEqualTo(topic);
                Alert alert = AlertJson.decode(envelope.path("Message").asText());
                received.add(alert);
                assertThat(envelope.path("Subject").asText())
                        .isEqualTo(AlertMessageConverter.subject(alert));
                JsonNode attributes = envelope.path("MessageAttributes");
                assertThat(attribute(attributes, "alarm_name")).isEqualTo(alert.alarmName);
                assertThat(attribute(attributes, "severity")).isEqualTo(alert.severity);
                assertThat(attribute(attributes, "state")).isEqualTo(alert.state);
                assertThat(attribute(attributes, "route")).isEqualTo(alert.route);
                assertThat(attribute(attributes, "model_version"))
                        .isEqualTo(alert.dimensions.get("ModelVersion"));
                assertThat(attribute(attributes, "action")).isEqualTo("notify");
                assertThat(attribute(attributes, "deduplication_key"))
                        .isEqualTo(alert.deduplicationKey);
                assertThat(attributes.path("state").path("Type").asText()).isEqualTo("String");
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected.get(topic));
        }
        assertThat(RecordingDeadLetters.LETTERS).isEmpty();
    }

    @Test
    void topicThatDoesNotExistFailsTheJobNamingTheKeyToCheck() {
        String missing = "arn:aws:sns:" + MotoServer.REGION + ":123456789012:never-created";
        String warning = sns.createTopic(b -> b.name("alerts-warning")).topicArn();
        String ml = sns.createTopic(b -> b.name("alerts-ml")).topicArn();

        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.fromData(mixedAlerts(4))
                .sinkTo(
                        SnsAlertSink.builder()
                                .setCriticalTopicArn(missing)
                                .setWarningTopicArn(warning)
                                .setMlTopicArn(ml)
                                .setMaxTimeInBufferMS(100)
                                .setClientProvider(
                                        SnsClientProvider.from(
                                                AwsConnection.emulator(
                                                        MotoServer.REGION, moto.endpoint())))
                                .build())
                .name("alerts-sns");

        assertThatThrownBy(() -> env.execute("sns-alert-sink-missing-topic"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, UnrecoverableFailure.class))
                                        .as("ends the job without a restart")
                                        .isPresent())
                .rootCause()
                .isInstanceOf(SnsAlertSinkException.class)
                .hasMessageStartingWith("SNS topic " + missing + " does not exist (NotFound:")
                .hasMessageContaining("Check sns.critical-topic-arn");
    }

    @Test
    void retriesPassingFailuresEntryByEntryAndDeadLettersRejectedAlerts() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = (i % 3 == 0 ? "flaky-" : "steady-") + i;
            String route = i % 2 == 0 ? "critical" : "ml";
            alerts.add(SnsTestAlerts.alert(name, "critical", "ALARM", route, i));
        }
        alerts.add(SnsTestAlerts.alert("poison-12", "warning", "ALARM", "warning", 12));

        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        env.fromData(alerts)
                .sinkTo(
                        SnsAlertSink.builder()
                                .setCriticalTopicArn(SnsTestAlerts.CRITICAL)
                                .setWarningTopicArn(SnsTestAlerts.WARNING)
                                .setMlTopicArn(SnsTestAlerts.ML)
                                .setMaxTimeInBufferMS(50)
                                .setDeadLetters(new RecordingDeadLetters())
                                .setClientProvider(FlakySns::new)
                                .build())
                .name("alerts-flaky-sns");
        env.execute("sns-alert-sink-partial-failures");

        List<String> expectedPublished =
                alerts.stream()
                        .map(a -> a.alarmName)
                        .filter(n -> !n.startsWith("poison"))
                        .collect(Collectors.toList());
        assertThat(new ArrayList<>(FlakySns.PUBLISHED))
                .containsExactlyInAnyOrderElementsOf(expectedPublished);
        // The flaky ones were refused once, then went through.
        assertThat(FlakySns.ATTEMPTS).containsEntry("flaky-0", 2).containsEntry("flaky-9", 2);
        assertThat(FlakySns.ATTEMPTS).containsEntry("steady-1", 1).containsEntry("poison-12", 1);
        // The whole first request was refused with a 500 and sent again.
        assertThat(FlakySns.REQUEST_FAILURES.get()).isEqualTo(1);
        assertThat(FlakySns.MISROUTED).isEmpty();

        assertThat(RecordingDeadLetters.LETTERS).hasSize(1);
        DeadLetter letter = RecordingDeadLetters.LETTERS.peek();
        assertThat(letter.category).isEqualTo(DeadLetter.Reason.REJECTED_BY_SINK.category());
        assertThat(letter.source).isEqualTo("sns:" + SnsTestAlerts.WARNING);
        assertThat(letter.reason)
                .contains("[WARNING] poison-12 ALARM")
                .contains("InvalidParameter: Invalid parameter: Message too long");
        assertThat(AlertJson.decode(letter.raw)).isEqualTo(alerts.get(12));
    }

    private String subscribedQueue(String topicArn) {
        String name = topicArn.substring(topicArn.lastIndexOf(':') + 1) + "-inbox";
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn =
                sqs.getQueueAttributes(
                                b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes()
                        .get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        return url;
    }

    /**
     * Receives until {@code expected} envelopes arrived or the deadline passed, then once more
     * briefly, so that a duplicate shows up as one message too many.
     */
    private List<JsonNode> receive(String queueUrl, int expected) throws Exception {
        List<JsonNode> envelopes = new ArrayList<>();
        long deadline = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
        while (envelopes.size() < expected && System.nanoTime() < deadline) {
            collect(queueUrl, 1, envelopes);
        }
        collect(queueUrl, 1, envelopes);
        assertThat(envelopes).as("messages on " + queueUrl).hasSize(expected);
        return envelopes;
    }

    private void collect(String queueUrl, int waitSeconds, List<JsonNode> into) throws Exception {
        List<Message> messages =
                sqs.receiveMessage(
                                b ->
                                        b.queueUrl(queueUrl)
                                                .maxNumberOfMessages(10)
                                                .waitTimeSeconds(waitSeconds))
                        .messages();
        for (Message m : messages) {
            into.add(JSON.readTree(m.body()));
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
    }

    private static String attribute(JsonNode attributes, String name) {
        JsonNode value = attributes.path(name).path("Value");
        return value.isMissingNode() ? null : value.asText();
    }

    /** Alerts of every route, both states, and two with an unknown route. */
    private static List<Alert> mixedAlerts(int count) {
        String[] routes = {"critical", "warning", "ml", "pager"};
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String route = routes[i % routes.length];
            String severity = i % 2 == 0 ? "critical" : "warning";
            String state = i % 5 == 4 ? "OK" : "ALARM";
            alerts.add(SnsTestAlerts.alert("alarm-" + route + "-" + i, severity, state, route, i));
        }
        return alerts;
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** Keeps rejected alerts where the test can see them (same JVM as the mini cluster). */
    static final class RecordingDeadLetters implements SinkDeadLetters {
        private static final long serialVersionUID = 1L;
        static final ConcurrentLinkedQueue<DeadLetter> LETTERS = new ConcurrentLinkedQueue<>();

        @Override
        public void accept(DeadLetter deadLetter) {
            LETTERS.add(deadLetter);
        }
    }

    /**
     * An SNS that refuses the first request as a whole (HTTP 500), then each {@code flaky-*} alert
     * once with {@code senderFault=false}, and every {@code poison-*} alert with {@code
     * senderFault=true}; everything else is published.
     */
    static final class FlakySns implements SnsAsyncClient {
        static final ConcurrentLinkedQueue<String> PUBLISHED = new ConcurrentLinkedQueue<>();
        static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();
        static final ConcurrentLinkedQueue<String> MISROUTED = new ConcurrentLinkedQueue<>();
        static final AtomicInteger REQUEST_FAILURES = new AtomicInteger();
        private static final AtomicInteger REQUESTS = new AtomicInteger();

        static void reset() {
            PUBLISHED.clear();
            ATTEMPTS.clear();
            MISROUTED.clear();
            REQUEST_FAILURES.set(0);
            REQUESTS.set(0);
        }

        @Override
        public CompletableFuture<PublishBatchResponse> publishBatch(PublishBatchRequest request) {
            if (REQUESTS.incrementAndGet() == 1) {
                REQUEST_FAILURES.incrementAndGet();
                CompletableFuture<PublishBatchResponse> failed = new CompletableFuture<>();
                failed.completeExceptionally(
                        SnsException.builder()
                                .statusCode(500)
                                .awsErrorDetails(
                                        AwsErrorDetails.builder()
                                                .errorCode("InternalError")
                                                .errorMessage("try again")
                                                .build())
                                .build());
                return failed;
            }
            assertThat(request.publishBatchRequestEntries()).hasSizeLessThanOrEqualTo(10);
            List<PublishBatchResultEntry> successful = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (PublishBatchRequestEntry entry : request.publishBatchRequestEntries()) {
                String name = entry.messageAttributes().get("alarm_name").stringValue();
                String route = entry.messageAttributes().get("route").stringValue();
                if (!request.topicArn().endsWith("alerts-" + route)) {
                    MISROUTED.add(name + " -> " + request.topicArn());
                }
                int attempt = ATTEMPTS.merge(name, 1, Integer::sum);
                if (name.startsWith("poison")) {
                    failed.add(
                            error(
                                    entry,
                                    "InvalidParameter",
                                    "Invalid parameter: Message too long",
                                    true));
                } else if (name.startsWith("flaky") && attempt == 1) {
                    failed.add(error(entry, "InternalError", "try again", false));
                } else {
                    PUBLISHED.add(name);
                    successful.add(
                            PublishBatchResultEntry.builder()
                                    .id(entry.id())
                                    .messageId("m-" + name)
                                    .build());
                }
            }
            return CompletableFuture.completedFuture(
                    PublishBatchResponse.builder().successful(successful).failed(failed).build());
        }

        private static BatchResultErrorEntry error(
                PublishBatchRequestEntry entry, String code, String message, boolean senderFault) {
            return BatchResultErrorEntry.builder()
                    .id(entry.id())
                    .code(code)
                    .message(message)
                    .senderFault(senderFault)
                    .build();
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }
}
