package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.RecsysMonitor;
import io.recsys.monitor.sinks.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** {@code generate --kinesis-stream} puts every event into the stream, a request per shard. */
class KinesisPublisherITCase {

    @Test
    void everyEventLandsAndARequestStaysInOrderOnOneShard() throws Exception {
        URI endpoint = MotoServer.shared().endpoint();
        String stream = "publisher-test-" + System.nanoTime();
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis =
                KinesisClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .endpointOverride(endpoint)
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .build()) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(2));
            kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));

            int exit =
                    RecsysMonitor.commandLine()
                            .execute(
                                    "generate",
                                    "--kinesis-stream",
                                    stream,
                                    "--events",
                                    "1200",
                                    "--rate",
                                    "100000",
                                    "--set",
                                    "aws.endpoint=" + endpoint,
                                    "--set",
                                    "aws.region=" + MotoServer.REGION,
                                    "--set",
                                    "aws.credentials=emulator",
                                    "--set",
                                    "kinesis.emulator=true");
            assertThat(exit).isZero();

            List<Record> records = new ArrayList<>();
            Map<String, String> shardOfKey = new HashMap<>();
            for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
                String iterator =
                        kinesis.getShardIterator(
                                        b ->
                                                b.streamName(stream)
                                                        .shardId(shard.shardId())
                                                        .shardIteratorType(
                                                                ShardIteratorType.TRIM_HORIZON))
                                .shardIterator();
                while (iterator != null) {
                    String it = iterator;
                    GetRecordsResponse page =
                            kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                    for (Record r : page.records()) {
                        records.add(r);
                        String previous = shardOfKey.put(r.partitionKey(), shard.shardId());
                        assertThat(previous == null || previous.equals(shard.shardId()))
                                .as("request " + r.partitionKey() + " split over shards")
                                .isTrue();
                    }
                    iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
            assertThat(records).hasSize(1200);
            assertThat(records.get(0).data().asString(StandardCharsets.UTF_8)).startsWith("{");
            assertThat(new java.util.HashSet<>(shardOfKey.values()))
                    .as("both shards used")
                    .hasSize(2);
        }
    }

    @Test
    void feedbackCanGoToItsOwnStream() {
        URI endpoint = MotoServer.shared().endpoint();
        String predictions = "predictions-" + System.nanoTime();
        String feedback = "feedback-" + System.nanoTime();
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis =
                KinesisClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .endpointOverride(endpoint)
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                        .build()) {
            for (String stream : new String[] {predictions, feedback}) {
                kinesis.createStream(b -> b.streamName(stream).shardCount(1));
                kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
            }
            int exit =
                    RecsysMonitor.commandLine()
                            .execute(
                                    "generate",
                                    "--kinesis-stream",
                                    predictions,
                                    "--kinesis-feedback-stream",
                                    feedback,
                                    "--events",
                                    "700",
                                    "--rate",
                                    "100000",
                                    "--set",
                                    "aws.endpoint=" + endpoint,
                                    "--set",
                                    "aws.region=" + MotoServer.REGION,
                                    "--set",
                                    "aws.credentials=emulator");
            assertThat(exit).isZero();
            List<String> p = readAll(kinesis, predictions);
            List<String> f = readAll(kinesis, feedback);
            assertThat(p.size() + f.size()).isEqualTo(700);
            assertThat(p)
                    .isNotEmpty()
                    .allSatisfy(j -> assertThat(j).contains("\"event_type\":\"prediction\""));
            assertThat(f)
                    .isNotEmpty()
                    .allSatisfy(j -> assertThat(j).contains("\"event_type\":\"feedback\""));
        }
    }

    private static List<String> readAll(KinesisClient kinesis, String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator =
                    kinesis.getShardIterator(
                                    b ->
                                            b.streamName(stream)
                                                    .shardId(shard.shardId())
                                                    .shardIteratorType(
                                                            ShardIteratorType.TRIM_HORIZON))
                            .shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse page =
                        kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                page.records().forEach(r -> out.add(r.data().asString(StandardCharsets.UTF_8)));
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return out;
    }
}
