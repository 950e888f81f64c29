package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The Kinesis source against a live emulator (moto_server): two streams of two shards each, read
 * together from TRIM_HORIZON by one consumer at parallelism 2. Every valid event must arrive
 * parsed, exactly once, and every malformed record as a dead letter naming its stream.
 */
class KinesisInputITCase {
    private static final int EVENTS = 200;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MotoServer moto;
    private static KinesisClient kinesis;

    @BeforeAll
    static void connect() {
        moto = MotoServer.shared();
        // The test's own SDK v2 client must speak JSON to the emulator as well.
        System.setProperty("aws.cborEnabled", "false");
        kinesis =
                KinesisClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .build();
    }

    @AfterAll
    static void close() {
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void readsEveryRecordOfBothStreamsParsedOrAsDeadLetter() throws Exception {
        // Unique names instead of a reset: other tests of this JVM may share the emulator.
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String predictionStream = "recsys-predictions-" + suffix;
        String feedbackStream = "recsys-feedback-" + suffix;
        createStream(predictionStream);
        createStream(feedbackStream);

        List<String> expectedEvents = new ArrayList<>();
        Map<String, List<String>> rawByStream = new HashMap<>();
        rawByStream.put(predictionStream, new ArrayList<>());
        rawByStream.put(feedbackStream, new ArrayList<>());
        TrafficSimulator simulator =
                new TrafficSimulator(GeneratorSettings.fromConfig(MonitorConfig.defaults()));
        for (int i = 0; i < EVENTS; i++) {
            GeneratedEvent event = simulator.next();
            assertThat(event.malformed).isFalse();
            JsonNode node = JSON.readTree(event.json);
            boolean prediction = "prediction".equals(node.get("event_type").asText());
            rawByStream.get(prediction ? predictionStream : feedbackStream).add(event.json);
            expectedEvents.add(identity(node, event.eventTime));
        }
        assertThat(rawByStream.get(feedbackStream)).isNotEmpty();

        List<String> expectedDeadLetters = new ArrayList<>();
        String[][] malformed = {
            {predictionStream, "this is not JSON", DeadLetter.Reason.INVALID_JSON.category()},
            {
                predictionStream,
                "{\"event_type\":\"prediction\",\"request_id\":\"broken-1\"}",
                DeadLetter.Reason.MISSING_FIELD.category()
            },
            {
                feedbackStream,
                "{\"event_type\":\"refund\",\"request_id\":\"broken-2\"}",
                DeadLetter.Reason.UNKNOWN_EVENT_TYPE.category()
            },
            {feedbackStream, "{\"event_type\":", DeadLetter.Reason.INVALID_JSON.category()},
        };
        for (String[] m : malformed) {
            rawByStream.get(m[0]).add(m[1]);
            expectedDeadLetters.add("kinesis:" + m[0] + "|" + m[2] + "|" + m[1]);
        }

        Set<String> shardsWritten = new HashSet<>();
        for (Map.Entry<String, List<String>> e : rawByStream.entrySet()) {
            shardsWritten.addAll(put(e.getKey(), e.getValue()));
        }
        // Both shards of both streams carry records, so the test reads four shards.
        assertThat(shardsWritten).hasSize(4);

        Map<String, String> settings = new HashMap<>();
        settings.put("source.type", "kinesis");
        settings.put("kinesis.stream", predictionStream);
        settings.put("kinesis.feedback-stream", feedbackStream);
        settings.put("kinesis.initial-position", "trim_horizon");
        settings.put("kinesis.emulator", "true");
        settings.put("aws.region", MotoServer.REGION);
        settings.put("aws.endpoint", moto.endpoint().toString());
        settings.put("aws.credentials", "emulator");
        MonitorConfig config = MonitorConfig.defaults().with(settings);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        // InputRecord and everything in it must travel as Flink POJOs, never through Kryo.
        env.getConfig().disableGenericTypes();
        int expected = expectedEvents.size() + expectedDeadLetters.size();
        // The consumer never ends: collecting exactly the expected count cancels the job.
        List<InputRecord> received =
                new KinesisInput(config).input(env).executeAndCollect(expected);

        List<String> events = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        for (InputRecord r : received) {
            if (r.deadLetter != null) {
                deadLetters.add(
                        r.deadLetter.source + "|" + r.deadLetter.category + "|" + r.deadLetter.raw);
            } else if (r.prediction != null) {
                events.add(
                        String.join(
                                "|",
                                "prediction",
                                r.prediction.requestId,
                                Long.toString(r.prediction.eventTime)));
            } else {
                events.add(
                        String.join(
                                "|",
                                "feedback",
                                r.feedback.requestId,
                                r.feedback.itemId,
                                r.feedback.action.name().toLowerCase(Locale.ROOT),
                                Long.toString(r.feedback.eventTime)));
            }
        }
        // Compared as sorted lists: a record read twice would push another one out of the count.
        Collections.sort(expectedEvents);
        Collections.sort(events);
        Collections.sort(expectedDeadLetters);
        Collections.sort(deadLetters);
        assertThat(events).isEqualTo(expectedEvents);
        assertThat(deadLetters).isEqualTo(expectedDeadLetters);
    }

    /** What identifies an event, read from the producer's JSON independently of EventParser. */
    private static String identity(JsonNode node, long eventTime) {
        String type = node.get("event_type").asText();
        if ("prediction".equals(type)) {
            return String.join(
                    "|", "prediction", node.get("request_id").asText(), Long.toString(eventTime));
        }
        return String.join(
                "|",
                "feedback",
                node.get("request_id").asText(),
                node.get("item_id").asText(),
                node.get("action").asText(),
                Long.toString(eventTime));
    }

    private static void createStream(String name) {
        kinesis.createStream(b -> b.streamName(name).shardCount(2));
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(name));
    }

    /** Puts the records in order; returns the shards they went to. */
    private static Set<String> put(String stream, List<String> records) throws Exception {
        Set<String> shards = new HashSet<>();
        // PutRecords takes at most 500 entries per request.
        for (int from = 0; from < records.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (String raw : records.subList(from, Math.min(records.size(), from + 500))) {
                entries.add(
                        PutRecordsRequestEntry.builder()
                                .data(SdkBytes.fromUtf8String(raw))
                                // By request, as producers do, so that a request's events share
                                // a shard and keep their order.
                                .partitionKey(partitionKey(raw))
                                .build());
            }
            PutRecordsResponse response =
                    kinesis.putRecords(b -> b.streamName(stream).records(entries));
            assertThat(response.failedRecordCount()).isZero();
            for (PutRecordsResultEntry entry : response.records()) {
                shards.add(stream + "/" + entry.shardId());
            }
        }
        return shards;
    }

    private static String partitionKey(String raw) {
        try {
            JsonNode id = JSON.readTree(raw).get("request_id");
            if (id != null && id.isTextual()) {
                return id.asText();
            }
        } catch (java.io.IOException e) {
            // malformed on purpose: any key will do
        }
        return "malformed-" + raw.hashCode();
    }
}
