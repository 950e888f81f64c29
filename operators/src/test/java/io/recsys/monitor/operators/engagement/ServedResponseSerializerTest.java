package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServedResponseSerializerTest {
    private static final long WINDOW = 30 * 60_000L;

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

    /**
     * Responses in flight in a savepoint of a version that kept them as a POJO are restored, on
     * both state backends, with their items and the ranks found relevant so far.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void restoresResponsesThatThePojoSerializerWrote(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        OperatorSubtaskState migrated;
        TypeInformation<ServedResponse> pojo = TypeInformation.of(ServedResponse.class);
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionEvent, FeedbackEvent, EngagementSignal>
                h = harness(new FeedbackAttribution(WINDOW, Relevance.CLICK, pojo), backend)) {
            h.open();
            h.processElement1(
                    new StreamRecord<>(FeedbackAttributionTest.prediction("r1", 1_000), 1_000));
            h.processElement2(
                    new StreamRecord<>(
                            FeedbackAttributionTest.feedback(
                                    "r1", 2_000, "b", FeedbackAction.CLICK),
                            2_000));
            snapshot = h.snapshot(1, 3_000);
        }
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionEvent, FeedbackEvent, EngagementSignal>
                h = harness(new FeedbackAttribution(WINDOW, Relevance.CLICK), backend)) {
            h.initializeState(snapshot);
            h.open();
            // Written again, now by the compact serializer, and read back by it.
            migrated = h.snapshot(2, 3_500);
        }
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionEvent, FeedbackEvent, EngagementSignal>
                h = harness(new FeedbackAttribution(WINDOW, Relevance.CLICK), backend)) {
            h.initializeState(migrated);
            h.open();
            h.processElement2(
                    new StreamRecord<>(
                            FeedbackAttributionTest.feedback(
                                    "r1", 4_000, "c", FeedbackAction.CLICK),
                            4_000));
            h.processBothWatermarks(new Watermark(1_000 + WINDOW));
            List<EngagementSignal> out = h.extractOutputValues();
            assertThat(out.get(0))
                    .isEqualTo(new EngagementSignal(4_000, "v2", "new", Kind.CLICK, 0, 0, 3));
            List<EngagementSignal> ranked =
                    out.stream().filter(s -> s.kind == Kind.RANKED).collect(Collectors.toList());
            assertThat(ranked).hasSize(1);
            // Relevant at ranks 2 (before the savepoint) and 3 (after): the first at rank 2.
            assertThat(ranked.get(0).ranking.reciprocalRank).isEqualTo(0.5);
            assertThat(ranked.get(0).ranking.recallAt10).isEqualTo(1.0);
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, PredictionEvent, FeedbackEvent, EngagementSignal>
            harness(FeedbackAttribution function, String backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionEvent, FeedbackEvent, EngagementSignal>
                h =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new KeyedCoProcessOperator<>(function),
                                p -> p.requestId,
                                f -> f.requestId,
                                Types.STRING);
        StateBackend stateBackend =
                "rocksdb".equals(backend)
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend();
        h.setStateBackend(stateBackend);
        return h;
    }
}
