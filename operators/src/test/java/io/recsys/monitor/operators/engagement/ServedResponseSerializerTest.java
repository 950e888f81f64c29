package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ServedResponseSerializerTest {
    @Test
    void readsBackWhatItWrites() throws Exception {
        ServedResponse r = new ServedResponse();
        r.eventTime = 1_767_225_600_000L;
        r.modelVersion = "v1";
        r.userSegment = null;
        r.itemIds.addAll(Arrays.asList("item-1", "é-2", ""));
        r.markRelevant(3);
        r.markRelevant(1);
        DataOutputSerializer out = new DataOutputSerializer(64);
        ServedResponseSerializer.INSTANCE.serialize(r, out);
        ServedResponse back =
                ServedResponseSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
        assertThat(back.relevantRanks).containsExactly(3, 1);
    }
}
