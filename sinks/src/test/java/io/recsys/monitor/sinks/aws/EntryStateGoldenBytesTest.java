package io.recsys.monitor.sinks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.sinks.cloudwatch.MetricDatumEntry;
import io.recsys.monitor.sinks.cloudwatch.MetricDatumEntrySerializer;
import io.recsys.monitor.sinks.deadletter.DeadLetterEntry;
import io.recsys.monitor.sinks.deadletter.DeadLetterEntryStateSerializer;
import io.recsys.monitor.sinks.sns.AlertMessage;
import io.recsys.monitor.sinks.sns.AlertMessageStateSerializer;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;

/**
 * The checkpointed form of each AWS sink's buffered entries, byte for byte as version 1 wrote it
 * (hex captured from the serializers before they shared a base), so that a refactoring cannot
 * change what a restore reads: the state marker (-1L), the entry count, then per entry its size in
 * bytes and its fields (strings and maps as {@link EntryStateSerializer} writes them, -1 for null).
 */
class EntryStateGoldenBytesTest {

    private static <T extends Serializable> void assertVersionOneForm(
            AsyncSinkWriterStateSerializer<T> serializer, T entry, long size, String hex)
            throws Exception {
        byte[] golden = StringUtils.hexStringToByte(hex);
        BufferedRequestState<T> state =
                new BufferedRequestState<>(List.of(new RequestEntryWrapper<>(entry, size)));
        assertThat(serializer.getVersion()).isEqualTo(1);
        assertThat(StringUtils.byteToHexString(serializer.serialize(state))).isEqualTo(hex);
        BufferedRequestState<T> restored = serializer.deserialize(1, golden);
        assertThat(restored.getBufferedRequestEntries())
                .singleElement()
                .satisfies(
                        w -> {
                            assertThat(w.getRequestEntry()).isEqualTo(entry);
                            assertThat(w.getSize()).isEqualTo(size);
                        });
    }

    @Test
    void anAlertKeepsItsVersionOneBytes() throws Exception {
        AlertMessage alert = new AlertMessage();
        alert.topicArn = "arn:aws:sns:eu-west-1:1:alerts.fifo";
        alert.batchEntryId = "0";
        alert.subject = "Low CTR";
        alert.message = "ctr \u00e9 0.5";
        alert.messageAttributes = new TreeMap<>(Map.of("severity", "high"));
        alert.messageGroupId = "g";
        alert.messageDeduplicationId = null;
        assertVersionOneForm(
                new AlertMessageStateSerializer(),
                alert,
                100L,
                "ffffffffffffffff000000010000000000000064"
                        + "0000002361726e3a6177733a736e733a65752d776573742d313a313a616c657274732e6669666f"
                        + "0000000130"
                        + "000000074c6f7720435452"
                        + "0000000a63747220c3a920302e35"
                        + "000000010000000873657665726974790000000468696768"
                        + "0000000167"
                        + "ffffffff");
    }

    @Test
    void aDeadLetterKeepsItsVersionOneBytes() throws Exception {
        DeadLetterEntry letter = new DeadLetterEntry();
        letter.entryId = "e1";
        letter.body = "{}";
        letter.partitionKey = null;
        letter.attributes = new TreeMap<>(Map.of("reason", "Oversized"));
        assertVersionOneForm(
                new DeadLetterEntryStateSerializer(),
                letter,
                20L,
                "ffffffffffffffff000000010000000000000014"
                        + "000000026531"
                        + "000000027b7d"
                        + "ffffffff"
                        + "0000000100000006726561736f6e000000094f76657273697a6564");
    }

    @Test
    void aDatumKeepsItsVersionOneBytes() throws Exception {
        assertVersionOneForm(
                new MetricDatumEntrySerializer(),
                new MetricDatumEntry(
                        "RecSys/Monitor",
                        "CTR",
                        Map.of("Model", "v1"),
                        1.25,
                        "Percent",
                        60_000L,
                        60),
                50L,
                "ffffffffffffffff000000010000000000000032"
                        + "0000000e5265635379732f4d6f6e69746f72"
                        + "00000003435452"
                        + "00000001000000054d6f64656c000000027631"
                        + "3ff4000000000000"
                        + "0000000750657263656e74"
                        + "000000000000ea60"
                        + "0000003c");
    }
}
