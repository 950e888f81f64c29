package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.MetricPoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

class MetricPointConverterTest {
    private static final long START = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    private static final long END = START + 3_600_000L;

    private final MetricPointConverter converter =
            new MetricPointConverter(
                    "Default/NS",
                    60,
                    DimensionPolicy.allow(List.of("ModelVersion", "UserSegment"), 100));

    @Test
    void mapsEveryFieldOfThePoint() {
        MetricDatumEntry entry =
                converter.apply(
                        point("RecSys/Monitor", "CTR", Map.of("ModelVersion", "v1"), "Percent"),
                        null);

        assertThat(entry.getNamespace()).isEqualTo("RecSys/Monitor");
        assertThat(entry.getMetricName()).isEqualTo("CTR");
        assertThat(entry.getDimensions()).containsExactly(Map.entry("ModelVersion", "v1"));
        assertThat(entry.getValue()).isEqualTo(2.5);
        assertThat(entry.getUnit()).isEqualTo("Percent");
        assertThat(entry.getTimestampMillis()).as("the window end").isEqualTo(END);
        assertThat(entry.getStorageResolution()).isEqualTo(60);

        MetricDatum datum = entry.toDatum();
        assertThat(datum.metricName()).isEqualTo("CTR");
        assertThat(datum.unit()).isEqualTo(StandardUnit.PERCENT);
        assertThat(datum.timestamp()).isEqualTo(Instant.ofEpochMilli(END));
        assertThat(datum.storageResolution()).isEqualTo(60);
        assertThat(datum.value()).isEqualTo(2.5);
        assertThat(datum.dimensions())
                .containsExactly(Dimension.builder().name("ModelVersion").value("v1").build());
    }

    @Test
    void mapsCloudWatchUnitNames() {
        assertThat(unitOf("Percent")).isEqualTo(StandardUnit.PERCENT);
        assertThat(unitOf("None")).isEqualTo(StandardUnit.NONE);
        assertThat(unitOf("Milliseconds")).isEqualTo(StandardUnit.MILLISECONDS);
        assertThat(unitOf("Count")).isEqualTo(StandardUnit.COUNT);
        assertThat(unitOf("Count/Second")).isEqualTo(StandardUnit.COUNT_SECOND);
        assertThat(unitOf("Seconds")).isEqualTo(StandardUnit.SECONDS);
        assertThat(unitOf("Bytes")).isEqualTo(StandardUnit.BYTES);
    }

    @Test
    void sendsAnUnknownOrMissingUnitAsNone() {
        assertThat(unitOf("Furlongs")).isEqualTo(StandardUnit.NONE);
        assertThat(unitOf("percent"))
                .as("unit names are case-sensitive")
                .isEqualTo(StandardUnit.NONE);
        assertThat(unitOf(null)).isEqualTo(StandardUnit.NONE);
    }

    @Test
    void usesTheConfiguredHighResolution() {
        MetricPointConverter highResolution =
                new MetricPointConverter(
                        "Default/NS", 1, DimensionPolicy.allow(List.of("ModelVersion"), 10));
        MetricDatumEntry entry =
                highResolution.apply(point("NS", "CTR", Map.of(), "Percent"), null);
        assertThat(entry.getStorageResolution()).isEqualTo(1);
        assertThat(entry.toDatum().storageResolution()).isEqualTo(1);
    }

    @Test
    void fillsInTheDefaultNamespace() {
        assertThat(converter.apply(point(null, "CTR", Map.of(), "Percent"), null).getNamespace())
                .isEqualTo("Default/NS");
        assertThat(converter.apply(point("", "CTR", Map.of(), "Percent"), null).getNamespace())
                .isEqualTo("Default/NS");
    }

    @Test
    void sendsOnlyConfiguredDimensions() {
        MetricDatumEntry entry =
                converter.apply(
                        point(
                                "NS",
                                "CTR",
                                Map.of(
                                        "ModelVersion", "v2",
                                        "UserSegment", "new",
                                        "RequestId", "r-123",
                                        "user_id", "u-42"),
                                "Percent"),
                        null);
        assertThat(entry.getDimensions())
                .containsOnly(Map.entry("ModelVersion", "v2"), Map.entry("UserSegment", "new"));
    }

    @Test
    void keepsANonFiniteValueForTheWriterToJudge() {
        MetricPoint nan = point("NS", "CTR", Map.of(), "Percent");
        nan.value = Double.NaN;
        assertThat(converter.apply(nan, null).getValue()).isNaN();
    }

    private StandardUnit unitOf(String unit) {
        return StandardUnit.fromValue(
                converter.apply(point("NS", "M", Map.of(), unit), null).getUnit());
    }

    private static MetricPoint point(
            String namespace, String metric, Map<String, String> dims, String unit) {
        return new MetricPoint(namespace, metric, dims, 2.5, unit, START, END);
    }
}
