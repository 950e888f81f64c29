package io.recsys.monitor.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.model.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The dead-letter sink in a mini cluster against clients that fail on purpose: a whole request and
 * single entries failing once are retried until each dead letter is delivered exactly once; a
 * stream that never takes a record fails the job after the configured attempts.
 */
class DeadLetterSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final ConcurrentLinkedQueue<String> DELIVERED = new ConcurrentLinkedQueue<>();
    static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();
    static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeEach
    void reset() {
        DELIVERED.clear();
        ATTEMPTS.clear();
        REQUESTS.set(0);
    }

    @Test
    void sqsRequestAndEntryFailuresAreRetriedUntilEachIsDeliveredOnce() throws Exception {
        List<DeadLetter> letters = letters(35);
        run(
                letters,
                DeadLetterSink.builder()
                        .setSqsQueueUrl("http://fake/123456789012/dl")
                        .setClients(new FlakyClients())
                        .setBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build());
        assertThat(DELIVERED).hasSize(letters.size());
        assertThat(DELIVERED).containsExactlyInAnyOrderElementsOf(raws(letters));
        // Each flaky line was refused once, then taken; every other line taken at once.
        assertThat(ATTEMPTS).hasSize(letters.size());
        ATTEMPTS.forEach(
                (raw, attempts) ->
                        assertThat(attempts).as(raw).isEqualTo(raw.startsWith("flaky") ? 2 : 1));
    }

    @Test
    void kinesisRecordFailuresAreRetriedUntilEachIsDeliveredOnce() throws Exception {
        List<DeadLetter> letters = letters(35);
        run(
                letters,
                DeadLetterSink.builder()
                        .setKinesisStream("dl")
                        .setClients(new FlakyClients())
                        .setBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build());
        assertThat(DELIVERED).containsExactlyInAnyOrderElementsOf(raws(letters));
        ATTEMPTS.forEach(
                (raw, attempts) ->
                        assertThat(attempts).as(raw).isEqualTo(raw.startsWith("flaky") ? 2 : 1));
    }

    @Test
    void retriesAreBoundedThenTheJobFails() {
        assertThatThrownBy(
                        () ->
                                run(
                                        letters(3),
                                        DeadLetterSink.builder()
                                                .setKinesisStream("always-throttled")
                                                .setClients(new FlakyClients())
                                                .setMaxAttempts(3)
                                                .setBackoff(
                                                        Duration.ofMillis(5), Duration.ofMillis(20))
                                                .build()))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, DeadLetterSinkException.class))
                                        .hasValueSatisfying(
                                                f ->
                                                        assertThat(f.getMessage())
                                                                .contains(
                                                                        "kinesis always-throttled"
                                                                                + " still failed"
                                                                                + " after 3"
                                                                                + " attempts")));
        assertThat(REQUESTS.get()).isEqualTo(3);
        assertThat(DELIVERED).isEmpty();
    }

    private static void run(List<DeadLetter> letters, DeadLetterSink sink) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromData(letters, TypeInformation.of(DeadLetter.class)).sinkTo(sink);
        env.execute("dead-letter-sink");
    }

    private static List<DeadLetter> letters(int n) {
        List<DeadLetter> letters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String raw = (i % 4 == 1 ? "flaky-" : "line-") + i;
            letters.add(new DeadLetter(DeadLetter.Reason.INVALID_JSON, "bad", raw, "test", i));
        }
        return letters;
    }

    private static List<String> raws(List<DeadLetter> letters) {
        List<String> raws = new ArrayList<>();
        letters.forEach(d -> raws.add(d.raw));
        return raws;
    }

    /**
     * SQS that fails its first request as a whole (HTTP 500) and each {@code flaky-*} message once
     * ({@code senderFault=false}); Kinesis that fails each {@code flaky-*} record once with {@code
     * ProvisionedThroughputExceededException}, and every request to stream {@code
     * always-throttled}.
     */
    static final class FlakyClients implements DeadLetterClients {
        private static final long serialVersionUID = 1L;

        @Override
        public SqsAsyncClient sqs() {
            return new SqsAsyncClient() {
                @Override
                public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(
                        SendMessageBatchRequest request) {
                    if (REQUESTS.incrementAndGet() == 1) {
                        return CompletableFuture.failedFuture(
                                SqsException.builder()
                                        .statusCode(500)
                                        .awsErrorDetails(details("InternalError"))
                                        .build());
                    }
                    assertThat(request.entries()).hasSizeLessThanOrEqualTo(10);
                    List<SendMessageBatchResultEntry> ok = new ArrayList<>();
                    List<BatchResultErrorEntry> failed = new ArrayList<>();
                    for (SendMessageBatchRequestEntry e : request.entries()) {
                        String raw = e.messageBody();
                        int attempt = ATTEMPTS.merge(raw, 1, Integer::sum);
                        if (raw.startsWith("flaky") && attempt == 1) {
                            failed.add(
                                    BatchResultErrorEntry.builder()
                                            .id(e.id())
                                            .code("InternalError")
                                            .senderFault(false)
                                            .build());
                        } else {
                            DELIVERED.add(raw);
                            ok.add(SendMessageBatchResultEntry.builder().id(e.id()).build());
                        }
                    }
                    return CompletableFuture.completedFuture(
                            SendMessageBatchResponse.builder()
                                    .successful(ok)
                                    .failed(failed)
                                    .build());
                }

                @Override
                public String serviceName() {
                    return "sqs";
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public KinesisAsyncClient kinesis() {
            return new KinesisAsyncClient() {
                @Override
                public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
                    REQUESTS.incrementAndGet();
                    if (request.streamName().equals("always-throttled")) {
                        return CompletableFuture.failedFuture(
                                KinesisException.builder()
                                        .statusCode(400)
                                        .awsErrorDetails(
                                                details("ProvisionedThroughputExceededException"))
                                        .build());
                    }
                    List<PutRecordsResultEntry> results = new ArrayList<>();
                    for (PutRecordsRequestEntry r : request.records()) {
                        String raw = raw(r.data().asUtf8String());
                        int attempt = ATTEMPTS.merge(raw, 1, Integer::sum);
                        if (raw.startsWith("flaky") && attempt == 1) {
                            results.add(
                                    PutRecordsResultEntry.builder()
                                            .errorCode("ProvisionedThroughputExceededException")
                                            .build());
                        } else {
                            DELIVERED.add(raw);
                            results.add(
                                    PutRecordsResultEntry.builder()
                                            .sequenceNumber(Integer.toString(attempt))
                                            .shardId("shardId-0")
                                            .build());
                        }
                    }
                    return CompletableFuture.completedFuture(
                            PutRecordsResponse.builder().records(results).build());
                }

                @Override
                public String serviceName() {
                    return "kinesis";
                }

                @Override
                public void close() {}
            };
        }

        private static String raw(String envelope) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(envelope)
                        .get("raw")
                        .asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static AwsErrorDetails details(String code) {
            return AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build();
        }
    }
}
