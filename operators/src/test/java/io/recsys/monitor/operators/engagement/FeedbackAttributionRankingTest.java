package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RankingOutcome;
import io.recsys.monitor.model.RecommendedItem;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The online ranking outcome that attribution emits when a response's window closes. */
class FeedbackAttributionRankingTest {
    private static final long WINDOW = 30 * 60_000L;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, PredictionEvent, FeedbackEvent, EngagementSignal>
            harness(Relevance relevance) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new FeedbackAttribution(WINDOW, relevance),
                p -> p.requestId,
                f -> f.requestId,
                Types.STRING);
    }

    private static PredictionEvent prediction(String requestId, long time, int items) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = requestId;
        p.eventTime = time;
        p.userId = "u-1";
        p.userSegment = "new";
        p.modelVersion = "v2";
        for (int i = 0; i < items; i++) {
            p.recommendations.add(new RecommendedItem("item-" + i, 0.9, "c" + i % 3, 10));
        }
        return p;
    }

    private static StreamRecord<FeedbackEvent> feedback(
            String requestId, long time, String item, FeedbackAction action) {
        FeedbackEvent f = new FeedbackEvent(requestId, time, "u-1", item, action);
        if (action == FeedbackAction.PURCHASE) {
            f.orderValue = 10;
        }
        return new StreamRecord<>(f, time);
    }

    private static List<EngagementSignal> ranked(
            KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, EngagementSignal> h) {
        return h.extractOutputValues().stream()
                .filter(s -> s.kind == Kind.RANKED)
                .collect(Collectors.toList());
    }

    @Test
    void clickedItemsAreRelevantAndTheOutcomeComesWhenTheWindowCloses() throws Exception {
        try (var h = harness(Relevance.CLICK)) {
            h.processElement1(new StreamRecord<>(prediction("r1", 1_000, 3), 1_000));
            h.processElement2(feedback("r1", 2_000, "item-0", FeedbackAction.IMPRESSION));
            h.processElement2(feedback("r1", 3_000, "item-2", FeedbackAction.CLICK));
            h.processElement2(feedback("r1", 4_000, "item-2", FeedbackAction.CLICK));
            h.processBothWatermarks(new Watermark(1_000 + WINDOW - 1));
            assertThat(ranked(h)).isEmpty();

            h.processBothWatermarks(new Watermark(1_000 + WINDOW));
            List<EngagementSignal> out = ranked(h);
            assertThat(out).hasSize(1);
            EngagementSignal s = out.get(0);
            assertThat(s.eventTime).isEqualTo(1_000 + WINDOW);
            assertThat(s.modelVersion).isEqualTo("v2");
            assertThat(s.userSegment).isEqualTo("new");
            // One relevant item at rank 3 of 3: P = 1/3, R = 1, NDCG = 1/log2(4) = 0.5, RR = 1/3.
            RankingOutcome o = s.ranking;
            assertThat(o.precisionAt10).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(o.recallAt10).isEqualTo(1.0);
            assertThat(o.ndcgAt10).isCloseTo(0.5, within(1e-12));
            assertThat(o.reciprocalRank).isCloseTo(1.0 / 3, within(1e-12));
            // The response is gone; only its closing time stays, for late feedback.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void feedbackThatWaitedForItsPredictionCountsToo() throws Exception {
        try (var h = harness(Relevance.CLICK)) {
            h.processElement2(feedback("r2", 5_000, "item-1", FeedbackAction.CLICK));
            h.processElement1(new StreamRecord<>(prediction("r2", 4_000, 10), 4_000));
            h.processBothWatermarks(new Watermark(4_000 + WINDOW));
            assertThat(ranked(h))
                    .singleElement()
                    .satisfies(s -> assertThat(s.ranking.reciprocalRank).isEqualTo(0.5));
        }
    }

    @Test
    void withPurchaseRelevanceAClickAloneIsNotRelevant() throws Exception {
        try (var h = harness(Relevance.PURCHASE)) {
            h.processElement1(new StreamRecord<>(prediction("r3", 0, 10), 0));
            h.processElement2(feedback("r3", 1_000, "item-0", FeedbackAction.CLICK));
            h.processBothWatermarks(new Watermark(WINDOW));
            assertThat(ranked(h)).isEmpty();
        }
        try (var h = harness(Relevance.PURCHASE)) {
            h.processElement1(new StreamRecord<>(prediction("r4", 0, 10), 0));
            h.processElement2(feedback("r4", 1_000, "item-0", FeedbackAction.CLICK));
            h.processElement2(feedback("r4", 2_000, "item-4", FeedbackAction.PURCHASE));
            h.processBothWatermarks(new Watermark(WINDOW));
            // Relevant: rank 5 of 10. P = 0.1, NDCG = 1/log2(6), RR = 0.2.
            RankingOutcome o = ranked(h).get(0).ranking;
            assertThat(o.precisionAt10).isCloseTo(0.1, within(1e-12));
            assertThat(o.ndcgAt10).isCloseTo(Math.log(2) / Math.log(6), within(1e-12));
            assertThat(o.reciprocalRank).isCloseTo(0.2, within(1e-12));
        }
    }

    @Test
    void aResponseWithoutRelevantFeedbackYieldsNoOutcome() throws Exception {
        try (var h = harness(Relevance.CLICK)) {
            h.processElement1(new StreamRecord<>(prediction("r5", 0, 10), 0));
            h.processElement2(feedback("r5", 1_000, "item-0", FeedbackAction.IMPRESSION));
            h.processBothWatermarks(new Watermark(WINDOW));
            assertThat(ranked(h)).isEmpty();
        }
    }

    /**
     * The state of one request in flight, serialized: a response of 10 items with ids like the
     * generator's ("item-1234"-sized) and 2 relevant ranks. Printed for the README's memory figure.
     */
    @Test
    void stateOfARequestInFlightIsSmall() throws Exception {
        ServedResponse r = new ServedResponse();
        r.eventTime = 1_767_225_600_000L;
        r.modelVersion = "v1";
        r.userSegment = "returning";
        for (int i = 0; i < 10; i++) {
            r.itemIds.add("item-" + (1000 + i));
        }
        r.markRelevant(1);
        r.markRelevant(4);
        TypeSerializer<ServedResponse> serializer = ServedResponseSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(r, out);
        System.out.println(
                "ServedResponse (10 items, 2 relevant) serialized: " + out.length() + " B");
        assertThat(out.length()).isLessThan(200);

        PredictionEvent big = prediction("r", 0, 100);
        ServedResponse full = new ServedResponse();
        for (RecommendedItem item : big.recommendations) {
            full.itemIds.add(item.itemId);
            full.markRelevant(full.itemIds.size());
        }
        DataOutputSerializer out100 = new DataOutputSerializer(2048);
        serializer.serialize(full, out100);
        System.out.println(
                "ServedResponse (100 items, all relevant) serialized: " + out100.length() + " B");
        assertThat(out100.length()).isLessThan(2_000);
    }
}
