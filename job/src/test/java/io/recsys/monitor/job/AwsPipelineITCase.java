package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.AwsOutputs;
import io.recsys.monitor.job.source.KinesisInput;
import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The production path end to end on real AWS wire protocols: events put into Kinesis, the whole job
 * on a mini-cluster with the Kinesis source and the CloudWatch and SNS sinks, and the results read
 * back through the AWS APIs of the emulator: the metric values per hour and the low-CTR alerts,
 * each on the queue subscribed to the ML topic.
 */
class AwsPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final String REGION = MotoServer.REGION;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static URI endpoint;
    private static StaticCredentialsProvider credentials;

    @BeforeAll
    static void emulator() {
        endpoint = MotoServer.shared().endpoint();
        credentials =
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        // The test's own Kinesis client talks to the emulator too.
        System.setProperty("aws.cborEnabled", "false");
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
            B aws(B b) {
        return b.endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials);
    }

    @Test
    void kinesisToCloudWatchAndSns() throws Exception {
        String run = Long.toString(System.nanoTime());
        String stream = "events-" + run;
        // Recent event time: CloudWatch takes datapoints up to two weeks old.
        long t0 = (System.currentTimeMillis() / HOUR - 8) * HOUR;
        String namespace = "RecsysMonitorTest" + run;

        try (KinesisClient kinesis =
                        aws(KinesisClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                SnsClient sns =
                        aws(SnsClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                SqsClient sqs =
                        aws(SqsClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build();
                CloudWatchClient cloudWatch =
                        aws(CloudWatchClient.builder())
                                .httpClient(UrlConnectionHttpClient.create())
                                .build()) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(2));
            kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));

            Map<String, String> topics = new HashMap<>();
            Map<String, String> queues = new HashMap<>();
            for (String route : new String[] {"critical", "warning", "ml"}) {
                String topicArn = sns.createTopic(b -> b.name(route + "-" + run)).topicArn();
                String queueUrl = sqs.createQueue(b -> b.queueName(route + "-" + run)).queueUrl();
                String queueArn =
                        sqs.getQueueAttributes(
                                        b ->
                                                b.queueUrl(queueUrl)
                                                        .attributeNamesWithStrings("QueueArn"))
                                .attributesAsStrings()
                                .get("QueueArn");
                sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
                topics.put(route, topicArn);
                queues.put(route, queueUrl);
            }

            List<String> events = new ArrayList<>(TestEvents.craftedTraffic(t0));
            put(kinesis, stream, events);
            // Move event time past the last window on both shards, so that every window closes.
            long tick = t0 + 5 * HOUR;
            kinesis.putRecords(
                    b ->
                            b.streamName(stream)
                                    .records(
                                            tickRecord("0", tick),
                                            tickRecord(
                                                    "170141183460469231731687303715884105728",
                                                    tick + MINUTE)));

            Map<String, String> settings = new HashMap<>();
            settings.put("source.type", "kinesis");
            settings.put("sinks.type", "aws");
            settings.put("kinesis.stream", stream);
            settings.put("kinesis.initial-position", "trim_horizon");
            settings.put("kinesis.emulator", "true");
            settings.put("aws.endpoint", endpoint.toString());
            settings.put("aws.region", REGION);
            settings.put("aws.credentials", "emulator");
            settings.put("metrics.namespace", namespace);
            settings.put("sns.critical-topic-arn", topics.get("critical"));
            settings.put("sns.warning-topic-arn", topics.get("warning"));
            settings.put("sns.ml-topic-arn", topics.get("ml"));
            settings.put("cloudwatch.max-time-in-buffer", "200ms");
            settings.put("sns.max-time-in-buffer", "200ms");
            // A few events an hour: the KPI alarms are judged by value (CraftedTrafficAlarms).
            settings.put("alarms", CraftedTrafficAlarms.byValue());
            MonitorConfig config = MonitorConfig.of(settings);

            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            MonitoringJob.build(env, new KinesisInput(config), new AwsOutputs(config), config);
            JobClient job = env.executeAsync("aws-pipeline-test");
            try {
                // moto matches a query's dimensions as a subset of a datum's, so only a series
                // with every dimension named is read alone; the overall value arrives in the
                // overall alert below, and the mini-cluster tests check every slice exactly.
                TreeMap<String, String> v1 =
                        new TreeMap<>(Map.of("ModelVersion", "v1", "UserSegment", "new"));
                TreeMap<String, String> v2 =
                        new TreeMap<>(Map.of("ModelVersion", "v2", "UserSegment", "returning"));
                Map<Long, Double> v1Ctr =
                        await(
                                () -> hourly(cloudWatch, namespace, "CTR", v1, t0),
                                m -> m.size() == 4,
                                "four hourly CTR datapoints of v1/new");
                assertThat(v1Ctr)
                        .containsEntry(t0 + HOUR, 4.0)
                        .containsEntry(t0 + 2 * HOUR, 2.0)
                        .containsEntry(t0 + 3 * HOUR, 2.0)
                        .containsEntry(t0 + 4 * HOUR, 2.0);
                Map<Long, Double> v2Ctr =
                        await(
                                () -> hourly(cloudWatch, namespace, "CTR", v2, t0),
                                m -> m.size() == 4,
                                "four hourly CTR datapoints of v2/returning");
                assertThat(v2Ctr.values()).containsOnly(1.0);
                Map<Long, Double> aov =
                        await(
                                () -> hourly(cloudWatch, namespace, "AverageOrderValue", v1, t0),
                                m -> m.size() == 4,
                                "v1/new AOV");
                assertThat(aov).containsEntry(t0 + HOUR, 100.0).containsEntry(t0 + 2 * HOUR, 50.0);
                // Every slice of CTR is a series of its own in CloudWatch.
                assertThat(
                                cloudWatch
                                        .listMetricsPaginator(
                                                b -> b.namespace(namespace).metricName("CTR"))
                                        .metrics()
                                        .stream()
                                        .map(m -> m.dimensions().toString())
                                        .distinct()
                                        .count())
                        .isEqualTo(5);

                List<Alert> alerts =
                        await(
                                () -> receive(sqs, queues.get("ml")),
                                a -> a.size() >= 6,
                                "six ML alerts");
                assertThat(alerts)
                        .extracting(a -> AlertSummary.of(a, t0, HOUR))
                        .containsExactlyInAnyOrder(
                                "recommendation-low-ctr {ModelVersion=v2} ALARM/critical @3",
                                "recommendation-low-ctr {} ALARM/critical @4",
                                "recommendation-low-ctr {ModelVersion=v1} ALARM/warning @4",
                                // The guide's other KPI rows on the same crafted traffic (see
                                // MonitoringJobITCase).
                                "recommendation-low-conversion-rate {ModelVersion=v2} ALARM/critical @3",
                                "recommendation-low-average-order-value {} ALARM/warning @4",
                                // No catalogue size is known from Kinesis alone: no coverage.
                                "recommendation-low-average-order-value {ModelVersion=v1} ALARM/warning @4");
                assertThat(alerts)
                        .filteredOn(a -> a.alarmName.equals("recommendation-low-ctr"))
                        .filteredOn(a -> a.dimensions.isEmpty())
                        .singleElement()
                        .satisfies(a -> assertThat(a.value).isCloseTo(1.5, within(1e-9)));
                // The critical topic has the one critical alarm routed by severity: every crafted
                // prediction lacks its referrer.
                assertThat(
                                await(
                                        () -> receive(sqs, queues.get("critical")),
                                        a -> !a.isEmpty(),
                                        "the critical alert"))
                        .extracting(a -> a.alarmName + " " + a.dimensions + " " + a.severity)
                        .containsExactly(
                                "recommendation-feature-missing-rate {Feature=referrer} critical");
            } finally {
                LiveJobs.cancel(job);
            }
        }
    }

    private static PutRecordsRequestEntry tickRecord(String explicitHashKey, long time) {
        return PutRecordsRequestEntry.builder()
                .partitionKey("tick")
                .explicitHashKey(explicitHashKey)
                .data(
                        SdkBytes.fromString(
                                TestEvents.prediction(
                                        "tick-" + explicitHashKey, time, "v1", "new", 1),
                                StandardCharsets.UTF_8))
                .build();
    }

    private static void put(KinesisClient kinesis, String stream, List<String> events) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (String event : events) {
            JsonNode node;
            try {
                node = JSON.readTree(event);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            batch.add(
                    PutRecordsRequestEntry.builder()
                            .partitionKey(node.path("request_id").asText("none"))
                            .data(SdkBytes.fromString(event, StandardCharsets.UTF_8))
                            .build());
            if (batch.size() == 500) {
                List<PutRecordsRequestEntry> send = new ArrayList<>(batch);
                assertThat(
                                kinesis.putRecords(b -> b.streamName(stream).records(send))
                                        .failedRecordCount())
                        .isZero();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            assertThat(
                            kinesis.putRecords(b -> b.streamName(stream).records(batch))
                                    .failedRecordCount())
                    .isZero();
        }
    }

    /**
     * Hourly values of one series: window end -> value. GetMetricStatistics, because moto's
     * GetMetricData forgets the namespace once dimensions are given (moto 5.2.5), so series of
     * other tests' namespaces would mix in.
     */
    private static Map<Long, Double> hourly(
            CloudWatchClient cloudWatch,
            String namespace,
            String metric,
            TreeMap<String, String> dims,
            long t0) {
        List<Dimension> dimensions = new ArrayList<>();
        dims.forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
        Map<Long, Double> values = new TreeMap<>();
        cloudWatch
                .getMetricStatistics(
                        b ->
                                b.namespace(namespace)
                                        .metricName(metric)
                                        .dimensions(dimensions)
                                        .startTime(Instant.ofEpochMilli(t0))
                                        .endTime(Instant.ofEpochMilli(t0 + 6 * HOUR))
                                        .period(60)
                                        .statistics(Statistic.AVERAGE))
                .datapoints()
                .forEach(d -> values.put(d.timestamp().toEpochMilli(), d.average()));
        return values;
    }

    private static List<Alert> receive(SqsClient sqs, String queueUrl) {
        List<Alert> alerts = new ArrayList<>();
        List<Message> messages =
                sqs.receiveMessage(
                                b ->
                                        b.queueUrl(queueUrl)
                                                .maxNumberOfMessages(10)
                                                .waitTimeSeconds(1))
                        .messages();
        for (Message m : messages) {
            try {
                alerts.add(AlertJson.decode(JSON.readTree(m.body()).path("Message").asText()));
            } catch (Exception e) {
                throw new IllegalStateException("Not an SNS envelope: " + m.body(), e);
            }
        }
        return alerts;
    }

    /** Polls until the condition holds, accumulating list results; fails after 90 s. */
    @SuppressWarnings("unchecked")
    private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        T last = null;
        List<Object> accumulated = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value instanceof List) {
                accumulated.addAll((List<Object>) value);
                value = (T) new ArrayList<>(accumulated);
            }
            last = value;
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Timed out waiting for " + what + "; last seen: " + last);
    }
}
