package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class UnchangedRecordTypeInfoTest {
    private final TypeSerializer<InputRecord> serializer =
            UnchangedRecordTypeInfo.of(InputRecord.class)
                    .createSerializer(new SerializerConfigImpl());

    @Test
    void aChainedOperatorGetsTheRecordItself() {
        InputRecord record = InputRecord.of(prediction());
        assertThat(serializer.copy(record)).isSameAs(record);
        assertThat(serializer.copy(record, new InputRecord())).isSameAs(record);
    }

    @Test
    void theByteFormIsTheWrappedTypes() throws Exception {
        InputRecord record = InputRecord.of(prediction());
        TypeSerializer<InputRecord> pojo =
                TypeInformation.of(InputRecord.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer wrapped = new DataOutputSerializer(256);
        serializer.serialize(record, wrapped);
        DataOutputSerializer plain = new DataOutputSerializer(256);
        pojo.serialize(record, plain);
        assertThat(wrapped.getCopyOfBuffer()).isEqualTo(plain.getCopyOfBuffer());

        InputRecord back =
                serializer.deserialize(
                        new DataInputDeserializer(wrapped.getSharedBuffer(), 0, wrapped.length()));
        assertThat(back).isNotSameAs(record);
        assertThat(back.prediction).isEqualTo(record.prediction);
        assertThat(back.feedback).isNull();
    }

    private static PredictionEvent prediction() {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r-1";
        p.eventTime = 1000;
        p.userId = "u";
        p.modelVersion = "v1";
        p.latencyMs = 12.5;
        p.recommendations.add(new RecommendedItem("i-1", 0.9, "books", 12.0));
        p.numericFeatures = new HashMap<>();
        p.numericFeatures.put("age", 31.0);
        p.categoricalFeatures.put("device", "mobile");
        p.nullFeatures.add("referrer");
        return p;
    }
}
