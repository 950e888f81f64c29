package io.recsys.monitor.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

class DeadLetterSinkBuilderTest {
    private static final DeadLetterClients NO_CLIENTS =
            new DeadLetterClients() {
                @Override
                public SqsAsyncClient sqs() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public KinesisAsyncClient kinesis() {
                    throw new UnsupportedOperationException();
                }
            };

    @Test
    void defaultsAreTheServicesLimits() {
        DeadLetterSink sqs =
                DeadLetterSink.builder()
                        .setSqsQueueUrl("http://q/1/dl")
                        .setClients(NO_CLIENTS)
                        .build();
        assertThat(sqs.destination()).isEqualTo(DeadLetterDestination.SQS);
        DeadLetterSink kinesis =
                DeadLetterSink.builder().setKinesisStream("dl").setClients(NO_CLIENTS).build();
        assertThat(kinesis.destination()).isEqualTo(DeadLetterDestination.KINESIS);
        assertThat(kinesis.target()).isEqualTo("dl");
    }

    @Test
    void settingsBeyondTheLimitsAreRefused() {
        assertThatThrownBy(
                        () ->
                                DeadLetterSink.builder()
                                        .setSqsQueueUrl("http://q/1/dl")
                                        .setClients(NO_CLIENTS)
                                        .setMaxBatchSize(11)
                                        .build())
                .hasMessageContaining("between 1 and 10 (SQS SendMessageBatch limit)");
        assertThatThrownBy(
                        () ->
                                DeadLetterSink.builder()
                                        .setKinesisStream("dl")
                                        .setClients(NO_CLIENTS)
                                        .setMaxBatchSize(501)
                                        .build())
                .hasMessageContaining("between 1 and 500 (Kinesis PutRecords limit)");
        assertThatThrownBy(
                        () ->
                                DeadLetterSink.builder()
                                        .setSqsQueueUrl("http://q/1/dl")
                                        .setClients(NO_CLIENTS)
                                        .setMaxRecordSizeInBytes(300_000)
                                        .build())
                .hasMessageContaining("maxRecordSizeInBytes");
        assertThatThrownBy(
                        () ->
                                DeadLetterSink.builder()
                                        .setKinesisStream("dl")
                                        .setClients(NO_CLIENTS)
                                        .setMaxBatchSizeInBytes(6L * 1024 * 1024)
                                        .build())
                .hasMessageContaining("maxBatchSizeInBytes");
        assertThatThrownBy(
                        () ->
                                DeadLetterSink.builder()
                                        .setKinesisStream("dl")
                                        .setClients(NO_CLIENTS)
                                        .setMaxAttempts(0)
                                        .build())
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> DeadLetterSink.builder().setClients(NO_CLIENTS).build())
                .hasMessageContaining("queue URL or Kinesis stream name");
    }

    @Test
    void fromConfigTakesTheChosenDestination() {
        DeadLetterSink sink =
                DeadLetterSink.fromConfig(
                        MonitorConfig.of(
                                Map.of(
                                        "dead-letter.destination", "kinesis",
                                        "dead-letter.kinesis-stream", "recsys-dead-letters")));
        assertThat(sink.destination()).isEqualTo(DeadLetterDestination.KINESIS);
        assertThat(sink.target()).isEqualTo("recsys-dead-letters");
        assertThatThrownBy(() -> DeadLetterSink.fromConfig(MonitorConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
