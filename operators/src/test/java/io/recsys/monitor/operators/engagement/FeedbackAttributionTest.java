package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SlicePartial;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackAttributionTest {
    private static final long WINDOW = 30 * 60_000L;

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, PredictionEvent, FeedbackEvent, EngagementSignal>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new FeedbackAttribution(WINDOW),
                        p -> p.requestId,
                        f -> f.requestId,
                        Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A response of three items (a, b, c) by v2 to a new user. */
    static PredictionEvent prediction(String requestId, long time) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = requestId;
        p.eventTime = time;
        p.userId = "u-1";
        p.userSegment = "new";
        p.modelVersion = "v2";
        p.recommendations.add(new RecommendedItem("a", 0.9, "books", 10));
        p.recommendations.add(new RecommendedItem("b", 0.8, "toys", 20));
        p.recommendations.add(new RecommendedItem("c", 0.7, "toys", 30));
        return p;
    }

    static FeedbackEvent feedback(String requestId, long time, String item, FeedbackAction action) {
        FeedbackEvent f = new FeedbackEvent(requestId, time, "u-1", item, action);
        if (action == FeedbackAction.PURCHASE) {
            f.orderValue = 42.5;
        }
        return f;
    }

    private List<EngagementSignal> output() {
        return harness.extractOutputValues();
    }

    @Test
    void feedbackAfterItsPredictionIsLabelledWithModelSegmentAndRank() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r1", 1_000), 1_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r1", 2_000, "b", FeedbackAction.CLICK), 2_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r1", 9_000, "c", FeedbackAction.PURCHASE), 9_000));

        assertThat(output())
                .containsExactly(
                        new EngagementSignal(1_000, "v2", "new", Kind.SERVED, 3, 0, 0),
                        new EngagementSignal(2_000, "v2", "new", Kind.CLICK, 0, 0, 2),
                        new EngagementSignal(9_000, "v2", "new", Kind.PURCHASE, 0, 42.5, 3));
        // One timer clears the response when the attribution window closes.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void feedbackBeforeItsPredictionWaitsAndIsAttributedWhenItArrives() throws Exception {
        harness.processElement2(
                new StreamRecord<>(feedback("r2", 5_000, "a", FeedbackAction.IMPRESSION), 5_000));
        assertThat(output()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processElement1(new StreamRecord<>(prediction("r2", 4_000), 4_000));
        assertThat(output())
                .extracting(s -> s.kind + "@" + s.eventTime + "#" + s.rank)
                .containsExactly("SERVED@4000#0", "IMPRESSION@5000#1");
    }

    @Test
    void feedbackWhosePredictionNeverArrivesIsUnattributedWhenTheWindowCloses() throws Exception {
        harness.processElement2(
                new StreamRecord<>(feedback("lost", 5_000, "a", FeedbackAction.CLICK), 5_000));
        harness.processBothWatermarks(new Watermark(5_000 + WINDOW - 1));
        assertThat(output()).isEmpty();

        harness.processBothWatermarks(new Watermark(5_000 + WINDOW));
        List<EngagementSignal> out = output();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).kind).isEqualTo(Kind.UNATTRIBUTED);
        assertThat(out.get(0).modelVersion).isNull();
        assertThat(out.get(0).eventTime).isEqualTo(5_000 + WINDOW);
        // Nothing is left behind for the key.
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateIsClearedWhenTheAttributionWindowCloses() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r3", 1_000), 1_000));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processBothWatermarks(new Watermark(1_000 + WINDOW));
        // The response goes; its closing time stays one more window, for late feedback.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processBothWatermarks(new Watermark(1_000 + 2 * WINDOW));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private List<SlicePartial<EngagementCounts>> late() {
        ConcurrentLinkedQueue<StreamRecord<SlicePartial<EngagementCounts>>> records =
                harness.getSideOutput(FeedbackAttribution.LATE_FEEDBACK);
        return records == null
                ? List.of()
                : records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void feedbackArrivingAfterItsResponsesWindowClosedIsLateNotUnattributed() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r6", 0), 0));
        harness.processBothWatermarks(new Watermark(WINDOW + 60_000));
        // A click of minute 10, well inside the window, arrives after the window closed.
        harness.processElement2(
                new StreamRecord<>(feedback("r6", 600_000, "b", FeedbackAction.CLICK), 600_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r6", 700_000, "c", FeedbackAction.PURCHASE), 700_000));
        assertThat(output()).extracting(s -> s.kind).containsExactly(Kind.SERVED);
        assertThat(late())
                .satisfiesExactly(
                        p -> assertThat(p.aggregate.clicks).isEqualTo(1),
                        p -> {
                            assertThat(p.aggregate.purchases).isEqualTo(1);
                            assertThat(p.aggregate.revenue).isEqualTo(42.5);
                        });
        // Waits for nothing: no feedback held.
        harness.processBothWatermarks(new Watermark(2 * WINDOW));
        assertThat(output()).extracting(s -> s.kind).containsExactly(Kind.SERVED);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void feedbackArrivingAfterItsOwnWaitWouldHaveEndedIsLate() throws Exception {
        // Nothing is known of r7: its response closed longer ago than is remembered, or never
        // came; either way the watermark had passed the end of the click's wait on arrival.
        harness.processBothWatermarks(new Watermark(5_000 + WINDOW));
        harness.processElement2(
                new StreamRecord<>(feedback("r7", 5_000, "a", FeedbackAction.CLICK), 5_000));
        assertThat(late())
                .singleElement()
                .satisfies(p -> assertThat(p.aggregate.clicks).isEqualTo(1));
        assertThat(output()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void feedbackTooLongAfterAClosedResponseIsStillUnattributed() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r8", 0), 0));
        harness.processBothWatermarks(new Watermark(WINDOW + 60_000));
        harness.processElement2(
                new StreamRecord<>(
                        feedback("r8", WINDOW + 1, "a", FeedbackAction.CLICK), WINDOW + 1));
        assertThat(output())
                .extracting(s -> s.kind)
                .containsExactly(Kind.SERVED, Kind.UNATTRIBUTED);
        assertThat(late()).isEmpty();
    }

    @Test
    void everyFeedbackEventIsCountedOnceAsAttributedUnattributedOrLate() throws Exception {
        // r10: in time (its click also makes a ranked response). r11: no prediction, in time.
        // r12: after its response closed. r13: its wait over on arrival.
        harness.processElement1(new StreamRecord<>(prediction("r10", 0), 0));
        harness.processElement1(new StreamRecord<>(prediction("r12", 0), 0));
        harness.processElement2(
                new StreamRecord<>(feedback("r10", 1_000, "a", FeedbackAction.CLICK), 1_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r11", 2_000, "a", FeedbackAction.CLICK), 2_000));
        harness.processBothWatermarks(new Watermark(WINDOW + 10_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r12", 3_000, "a", FeedbackAction.CLICK), 3_000));
        harness.processElement2(
                new StreamRecord<>(feedback("r13", 4_000, "a", FeedbackAction.CLICK), 4_000));
        harness.processBothWatermarks(new Watermark(3 * WINDOW));

        assertThat(output())
                .extracting(s -> s.kind)
                .containsExactlyInAnyOrder(
                        Kind.SERVED, Kind.SERVED, Kind.CLICK, Kind.RANKED, Kind.UNATTRIBUTED);
        assertThat(late()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void feedbackLaterThanTheWindowIsUnattributed() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r4", 0), 0));
        harness.processElement2(
                new StreamRecord<>(
                        feedback("r4", WINDOW + 1, "a", FeedbackAction.CLICK), WINDOW + 1));
        assertThat(output())
                .extracting(s -> s.kind)
                .containsExactly(Kind.SERVED, Kind.UNATTRIBUTED);
    }

    @Test
    void aDuplicatePredictionIsCountedOnce() throws Exception {
        harness.processElement1(new StreamRecord<>(prediction("r5", 0), 0));
        harness.processElement1(new StreamRecord<>(prediction("r5", 0), 0));
        assertThat(
                        output().stream()
                                .filter(s -> s.kind == Kind.SERVED)
                                .collect(Collectors.toList()))
                .hasSize(1);
    }
}
