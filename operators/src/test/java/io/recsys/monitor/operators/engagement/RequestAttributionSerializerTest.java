package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.FeedbackAction;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RequestAttributionSerializerTest {
    private static RequestAttribution roundTrip(RequestAttribution r) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        RequestAttributionSerializer.INSTANCE.serialize(r, out);
        return RequestAttributionSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void readsBackAResponseAClosingTimeAndWaitingFeedback() throws Exception {
        RequestAttribution r = new RequestAttribution();
        r.response = new ServedResponse();
        r.response.eventTime = 1_000;
        r.response.modelVersion = "v1";
        r.response.itemIds.add("a");
        r.response.markRelevant(1);
        r.closedResponseTime = -5L;
        r.waiting.add(FeedbackAttributionTest.feedback("r1", 2_000, "a", FeedbackAction.PURCHASE));
        RequestAttribution back = roundTrip(r);
        assertThat(back).usingRecursiveComparison().ignoringFields("waiting").isEqualTo(r);
        // FeedbackEvent's equals, which takes NaN (no rating) as equal to NaN.
        assertThat(back.waiting).isEqualTo(r.waiting);
    }

    @Test
    void readsBackAnEntryWithNothingButAClosingTime() throws Exception {
        RequestAttribution r = new RequestAttribution();
        r.closedResponseTime = 0L;
        RequestAttribution back = roundTrip(r);
        assertThat(back.response).isNull();
        assertThat(back.closedResponseTime).isZero();
        assertThat(back.waiting).isEmpty();
        assertThat(back.isEmpty()).isFalse();
    }
}
