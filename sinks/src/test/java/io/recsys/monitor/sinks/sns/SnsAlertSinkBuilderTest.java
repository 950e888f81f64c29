package io.recsys.monitor.sinks.sns;

import static io.recsys.monitor.sinks.sns.SnsTestAlerts.CRITICAL;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.ML;
import static io.recsys.monitor.sinks.sns.SnsTestAlerts.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class SnsAlertSinkBuilderTest {

    @Test
    void buildsWithDefaultsWithinSnsLimits() {
        SnsAlertSink sink = valid().build();
        assertThat(sink.routing().criticalTopicArn()).isEqualTo(CRITICAL);
    }

    @Test
    void sinkIsSerializable() throws Exception {
        SnsAlertSink copy = InstantiationUtil.clone(valid().build());
        assertThat(copy.routing().mlTopicArn()).isEqualTo(ML);
    }

    @Test
    void fromConfigReadsTopicsAndBuffering() throws Exception {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "sinks.type", "aws",
                                "sns.critical-topic-arn", CRITICAL,
                                "sns.warning-topic-arn", WARNING,
                                "sns.ml-topic-arn", ML,
                                "sns.max-time-in-buffer", "250ms"));
        SnsAlertSink sink = SnsAlertSink.fromConfig(config);
        assertThat(sink.routing().warningTopicArn()).isEqualTo(WARNING);
        // The default client provider travels to the task managers.
        InstantiationUtil.clone(sink);
    }

    @Test
    void refusesMoreThanTenEntriesPerBatch() {
        assertRefused(b -> b.setMaxBatchSize(11), "maxBatchSize must be between 1 and 10");
        assertRefused(b -> b.setMaxBatchSize(0), "maxBatchSize");
    }

    @Test
    void refusesRequestsOrMessagesAbove256KiB() {
        assertRefused(
                b -> b.setMaxBatchSizeInBytes(262_145),
                "maxBatchSizeInBytes must be between 1 and 262144");
        assertRefused(
                b -> b.setMaxRecordSizeInBytes(262_145),
                "maxRecordSizeInBytes must be between 1 and 262144");
        assertRefused(
                b -> b.setMaxBatchSizeInBytes(1000).setMaxRecordSizeInBytes(2000),
                "must not exceed maxBatchSizeInBytes");
    }

    @Test
    void refusesImpossibleBuffering() {
        assertRefused(b -> b.setMaxBufferedRequests(10), "must be greater than maxBatchSize");
        assertRefused(b -> b.setMaxInFlightRequests(0), "maxInFlightRequests");
        assertRefused(b -> b.setMaxTimeInBufferMS(0), "maxTimeInBufferMS");
        assertRefused(b -> b.setRequestTimeoutMS(0), "requestTimeoutMS");
    }

    @Test
    void requiresEveryTopicArn() {
        assertRefused(
                b -> b.setWarningTopicArn(""), "sns.warning-topic-arn must be an SNS topic ARN");
        assertRefused(b -> b.setMlTopicArn("alerts-ml"), "sns.ml-topic-arn");
        assertRefused(b -> b.setCriticalTopicArn(null), "sns.critical-topic-arn");
    }

    @Test
    void requiresClientProviderAndDeadLetters() {
        assertThatThrownBy(() -> valid().setClientProvider(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("client provider");
        assertThatThrownBy(() -> valid().setDeadLetters(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Dead letters");
    }

    private static void assertRefused(Consumer<SnsAlertSinkBuilder> change, String message) {
        SnsAlertSinkBuilder builder = valid();
        change.accept(builder);
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static SnsAlertSinkBuilder valid() {
        return SnsAlertSink.builder()
                .setCriticalTopicArn(CRITICAL)
                .setWarningTopicArn(WARNING)
                .setMlTopicArn(ML)
                .setClientProvider(
                        () -> {
                            throw new UnsupportedOperationException("not called by these tests");
                        });
    }
}
