package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class MetricDatumEntrySerializerTest {

    @Test
    void roundTripsBufferedDatums() throws Exception {
        List<RequestEntryWrapper<MetricDatumEntry>> entries = new ArrayList<>();
        MetricDatumEntry ctr =
                new MetricDatumEntry(
                        "RecSys/Monitor",
                        "CTR",
                        Map.of("ModelVersion", "v1", "UserSegment", "new"),
                        2.75,
                        "Percent",
                        1_795_000_000_000L,
                        60);
        MetricDatumEntry nan =
                new MetricDatumEntry("Other/NS", "Latency", Map.of(), Double.NaN, null, 1L, 1);
        MetricDatumEntry huge =
                new MetricDatumEntry(
                        "NS",
                        "ü".repeat(40_000),
                        Map.of("ModelVersion", "x".repeat(70_000)),
                        -1e300,
                        "Count/Second",
                        Long.MAX_VALUE,
                        60);
        entries.add(new RequestEntryWrapper<>(ctr, ctr.estimatedSizeInBytes()));
        entries.add(new RequestEntryWrapper<>(nan, nan.estimatedSizeInBytes()));
        entries.add(new RequestEntryWrapper<>(huge, 1234));

        MetricDatumEntrySerializer serializer = new MetricDatumEntrySerializer();
        BufferedRequestState<MetricDatumEntry> restored =
                serializer.deserialize(
                        serializer.getVersion(),
                        serializer.serialize(new BufferedRequestState<>(entries)));

        assertThat(
                        restored.getBufferedRequestEntries().stream()
                                .map(RequestEntryWrapper::getRequestEntry)
                                .collect(Collectors.toList()))
                .containsExactly(ctr, nan, huge);
        assertThat(
                        restored.getBufferedRequestEntries().stream()
                                .map(RequestEntryWrapper::getSize)
                                .collect(Collectors.toList()))
                .containsExactly(ctr.estimatedSizeInBytes(), nan.estimatedSizeInBytes(), 1234L);
    }

    @Test
    void roundTripsAnEmptyBuffer() throws Exception {
        MetricDatumEntrySerializer serializer = new MetricDatumEntrySerializer();
        BufferedRequestState<MetricDatumEntry> restored =
                serializer.deserialize(1, serializer.serialize(BufferedRequestState.emptyState()));
        assertThat(restored.getBufferedRequestEntries()).isEmpty();
    }
}
