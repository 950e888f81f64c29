package io.recsys.monitor.sinks.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class AlertMessageStateSerializerTest {

    private final AlertMessageStateSerializer serializer = new AlertMessageStateSerializer();

    @Test
    void bufferedAlertsSurviveACheckpoint() throws Exception {
        AlertMessageConverter converter = new AlertMessageConverter(SnsTestAlerts.routing());
        AlertMessage plain = converter.apply(SnsTestAlerts.lowCtr(), null);
        AlertMessage fifo =
                new AlertMessageConverter(new AlertRouting(SnsTestAlerts.CRITICAL, "w", "m.fifo"))
                        .apply(SnsTestAlerts.lowCtr(), null);
        AlertMessage sparse = new AlertMessage();
        sparse.topicArn = "arn:aws:sns:us-east-1:1:t";
        sparse.batchEntryId = "id";
        sparse.message = "";
        sparse.messageAttributes = null;
        // Beyond writeUTF's 64 KiB and with characters of two, three and four UTF-8 bytes.
        AlertMessage large = converter.apply(SnsTestAlerts.lowCtr(), null);
        large.message = "é€😀".repeat(30_000);

        List<AlertMessage> messages = List.of(plain, fifo, sparse, large);
        List<RequestEntryWrapper<AlertMessage>> entries = new ArrayList<>();
        for (AlertMessage m : messages) {
            entries.add(new RequestEntryWrapper<>(m, m.sizeInBytes()));
        }

        byte[] bytes = serializer.serialize(new BufferedRequestState<>(entries));
        BufferedRequestState<AlertMessage> restored =
                serializer.deserialize(serializer.getVersion(), bytes);

        assertThat(
                        restored.getBufferedRequestEntries().stream()
                                .map(RequestEntryWrapper::getRequestEntry)
                                .collect(Collectors.toList()))
                .containsExactlyElementsOf(messages);
        assertThat(
                        restored.getBufferedRequestEntries().stream()
                                .map(RequestEntryWrapper::getSize)
                                .collect(Collectors.toList()))
                .containsExactly(
                        plain.sizeInBytes(),
                        fifo.sizeInBytes(),
                        sparse.sizeInBytes(),
                        large.sizeInBytes());
        assertThat(restored.getBufferedRequestEntries().get(1).getRequestEntry().messageGroupId)
                .isEqualTo("recommendation-low-ctr");
    }

    @Test
    void emptyStateRoundTrips() throws Exception {
        byte[] bytes = serializer.serialize(BufferedRequestState.emptyState());
        assertThat(serializer.deserialize(1, bytes).getBufferedRequestEntries()).isEmpty();
    }
}
