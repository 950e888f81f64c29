package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.util.Map;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class CloudWatchMetricsSinkBuilderTest {

    private static final CloudWatchClientProvider NO_CLIENT =
            () -> {
                throw new UnsupportedOperationException("not used");
            };

    @Test
    void buildsWithTheDocumentedDefaults() {
        CloudWatchMetricsSink sink = builder().build();
        AsyncSinkWriterConfiguration c = sink.writerConfiguration();

        assertThat(c.getMaxBatchSize()).isEqualTo(1000);
        assertThat(c.getMaxBatchSizeInBytes()).isEqualTo(900 * 1024);
        assertThat(c.getMaxRecordSizeInBytes()).isEqualTo(128 * 1024);
        assertThat(c.getMaxInFlightRequests()).isEqualTo(10);
        assertThat(c.getMaxBufferedRequests()).isEqualTo(10_000);
        assertThat(c.getMaxTimeInBufferMS()).isEqualTo(5_000);
        assertThat(c.getRequestTimeoutMS()).isEqualTo(60_000);
        assertThat(c.isFailOnTimeout()).isFalse();
        assertThat(sink.invalidDataPolicy()).isEqualTo(InvalidDataPolicy.DROP);
        assertThat(sink.converter().storageResolution()).isEqualTo(60);
        assertThat(sink.converter().defaultNamespace()).isEqualTo("RecommendationSystem");
        assertThat(sink.converter().dimensionPolicy().allowedNames())
                .containsExactly("ModelVersion", "UserSegment");
        assertThat(sink.converter().dimensionPolicy().maxValuesPerDimension()).isEqualTo(100);
    }

    @Test
    void refusesMoreDatumsPerRequestThanCloudWatchAccepts() {
        assertThatThrownBy(() -> builder().setMaxBatchSize(1001).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "maxBatchSize must be between 1 and 1000 (PutMetricData accepts at most"
                                + " 1000 datums per request), got 1001");
    }

    @Test
    void refusesBatchesThatCouldExceedTheRequestSizeLimit() {
        assertThatThrownBy(() -> builder().setMaxBatchSizeInBytes(1024 * 1024).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxBatchSizeInBytes must be between 1 and 1032192")
                .hasMessageContaining("must stay under 1 MB");
    }

    @Test
    void refusesARecordSizeBelowTheLargestValidDatum() {
        assertThatThrownBy(() -> builder().setMaxRecordSizeInBytes(1000).build())
                .hasMessageStartingWith(
                        "maxRecordSizeInBytes must be at least "
                                + MetricDatumEntry.MAX_VALID_SIZE_BYTES);
        assertThatThrownBy(
                        () ->
                                builder()
                                        .setMaxBatchSizeInBytes(200_000)
                                        .setMaxRecordSizeInBytes(300_000)
                                        .build())
                .hasMessage(
                        "maxRecordSizeInBytes (300000) must not exceed maxBatchSizeInBytes"
                                + " (200000)");
    }

    @Test
    void refusesOtherImpossibleSettings() {
        assertThatThrownBy(() -> builder().setStorageResolution(30).build())
                .hasMessage(
                        "storage resolution must be 60 (standard) or 1 (high resolution)"
                                + " seconds, got 30");
        assertThatThrownBy(() -> builder().setDefaultNamespace("AWS/Lambda").build())
                .hasMessageContaining("reserved for AWS");
        assertThatThrownBy(() -> builder().setMaxBufferedRequests(1000).build())
                .hasMessage("maxBufferedRequests (1000) must be greater than maxBatchSize (1000)");
        assertThatThrownBy(() -> builder().setMaxInFlightRequests(0).build())
                .hasMessageContaining("maxInFlightRequests must be at least 1");
        assertThatThrownBy(() -> builder().setMaxTimeInBufferMS(0).build())
                .hasMessageContaining("maxTimeInBufferMS must be positive");
        assertThatThrownBy(() -> CloudWatchMetricsSink.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("a CloudWatchClientProvider is required");
    }

    @Test
    void buildsFromTheJobsSettings() throws Exception {
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "aws.region", "eu-west-1",
                                "metrics.namespace", "RecSys/Prod",
                                "cloudwatch.storage-resolution", "1",
                                "cloudwatch.dimensions", "ModelVersion",
                                "cloudwatch.max-dimension-values", "7",
                                "cloudwatch.invalid-data", "fail",
                                "cloudwatch.max-batch-size", "500",
                                "cloudwatch.max-time-in-buffer", "2s"));

        CloudWatchMetricsSink sink = CloudWatchMetricsSink.fromConfig(config);

        assertThat(sink.writerConfiguration().getMaxBatchSize()).isEqualTo(500);
        assertThat(sink.writerConfiguration().getMaxTimeInBufferMS()).isEqualTo(2_000);
        assertThat(sink.invalidDataPolicy()).isEqualTo(InvalidDataPolicy.FAIL);
        assertThat(sink.converter().storageResolution()).isEqualTo(1);
        assertThat(sink.converter().defaultNamespace()).isEqualTo("RecSys/Prod");
        assertThat(sink.converter().dimensionPolicy().allowedNames())
                .containsExactly("ModelVersion");
        assertThat(sink.converter().dimensionPolicy().maxValuesPerDimension()).isEqualTo(7);
        // The sink travels to the task managers: it must serialize without a client.
        assertThat(InstantiationUtil.serializeObject(sink)).isNotEmpty();
    }

    @Test
    void refusesAUserIdDimensionFromTheSettings() {
        MonitorConfig config =
                MonitorConfig.of(Map.of("cloudwatch.dimensions", "ModelVersion,user_id"));
        assertThatThrownBy(() -> CloudWatchMetricsSink.fromConfig(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'user_id' looks like a user id");
    }

    private static CloudWatchMetricsSinkBuilder builder() {
        return CloudWatchMetricsSink.builder().setClientProvider(NO_CLIENT);
    }
}
