package io.recsys.monitor.operators.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Snapshots of the previous release's attribution (main at bf25811, three states per request:
 * {@code served-response}, {@code feedback-awaiting-prediction}, {@code closed-response-time};
 * {@code previous-release/AttributionStateGeneratorTest.java.txt} wrote them) restore into {@link
 * FeedbackAttributionOperator}, which moves them into one entry per request; that release's timers
 * then do what they did there, and a snapshot of the new form restores in turn. Responses are
 * restored as that release kept them (compact serializer) and as the release before kept them (POJO
 * serializer), on the heap and RocksDB.
 *
 * <p>The generator left, at watermark W + 500 (W the window): "closed", a response of time 0 whose
 * window closed; "reopened", the same and then served again at W + 1000; "held", a response of time
 * 1,000,000 with a click at rank 2; "waiting", a purchase of item c at 1,200,000 whose prediction
 * had not come.
 */
class FeedbackAttributionPreviousReleaseStateTest {
    private static final long W = 30 * 60_000L;

    private static final EngagementSignal UNATTRIBUTED_AT_W_PLUS_100 =
            new EngagementSignal(W + 100, null, null, Kind.UNATTRIBUTED, 0, 0, 0);

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, PredictionEvent, FeedbackEvent, EngagementSignal>
            harness(String backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionEvent, FeedbackEvent, EngagementSignal>
                h =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new FeedbackAttributionOperator(
                                        new FeedbackAttribution(W, Relevance.CLICK)),
                                p -> p.requestId,
                                f -> f.requestId,
                                Types.STRING);
        h.setStateBackend(
                "rocksdb".equals(backend)
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend());
        return h;
    }

    private static StreamRecord<FeedbackEvent> feedback(
            String request, long time, String item, FeedbackAction action) {
        return new StreamRecord<>(
                FeedbackAttributionTest.feedback(request, time, item, action), time);
    }

    @ParameterizedTest
    @CsvSource({"heap,compact", "rocksdb,compact", "heap,pojo", "rocksdb,pojo"})
    void previousReleaseStateMovesIntoOneEntryPerRequestAndItsTimersStillDecide(
            String backend, String form) throws Exception {
        OperatorSubtaskState migrated;
        try (var h = harness(backend)) {
            h.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            getClass()
                                    .getResource(
                                            "/previous-release/attribution-"
                                                    + form
                                                    + "-"
                                                    + backend
                                                    + ".snapshot")
                                    .getPath()));
            h.open();
            if ("heap".equals(backend)) {
                // Four requests, one entry each: the old states are empty (the heap counts
                // entries; RocksDB does not).
                assertThat(h.numKeyedStateEntries()).isEqualTo(4);
            }
            h.processBothWatermarks(new Watermark(W + 500));
            // Within the closed response's window: late; beyond it: unattributed.
            h.processElement2(feedback("closed", 30_000, "b", FeedbackAction.CLICK));
            h.processElement2(feedback("closed", W + 100, "b", FeedbackAction.CLICK));
            h.processElement2(feedback("held", 1_300_000, "c", FeedbackAction.IMPRESSION));
            h.processElement1(
                    new StreamRecord<>(
                            FeedbackAttributionTest.prediction("waiting", 1_150_000), 1_150_000));
            h.processElement2(feedback("reopened", W + 2_000, "a", FeedbackAction.CLICK));
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            UNATTRIBUTED_AT_W_PLUS_100,
                            new EngagementSignal(1_300_000, "v2", "new", Kind.IMPRESSION, 0, 0, 3),
                            new EngagementSignal(1_150_000, "v2", "new", Kind.SERVED, 3, 0, 0),
                            new EngagementSignal(1_200_000, "v2", "new", Kind.PURCHASE, 0, 42.5, 3),
                            new EngagementSignal(W + 2_000, "v2", "new", Kind.CLICK, 0, 0, 1));
            assertThat(h.getSideOutput(FeedbackAttribution.LATE_FEEDBACK)).hasSize(1);
            migrated = h.snapshot(2, 2);
        }
        try (var h = harness(backend)) {
            h.initializeState(migrated);
            h.open();
            h.processBothWatermarks(new Watermark(W + 500));
            // The previous release's timers: responses close, closing times are forgotten, and
            // the purchase that waited (attributed since) is not counted again.
            h.processBothWatermarks(new Watermark(2 * W));
            assertThat(ranked(h)).containsExactly(1_000_000 + W, 1_150_000 + W);
            assertThat(h.extractOutputValues())
                    .extracting(s -> s.ranking.reciprocalRank)
                    .containsExactly(0.5, 1.0 / 3);
            // "closed" is forgotten: feedback beyond its window now waits, and the other is late.
            h.processElement2(feedback("closed", W + 100, "b", FeedbackAction.CLICK));
            h.processElement2(feedback("closed", 30_000, "b", FeedbackAction.CLICK));
            assertThat(h.getSideOutput(FeedbackAttribution.LATE_FEEDBACK)).hasSize(1);
            h.processBothWatermarks(new Watermark(2 * W + 1_000));
            List<EngagementSignal> out = h.extractOutputValues();
            assertThat(out.get(2))
                    .isEqualTo(
                            new EngagementSignal(
                                    2 * W + 100, null, null, Kind.UNATTRIBUTED, 0, 0, 0));
            assertThat(ranked(h)).containsExactly(1_000_000 + W, 1_150_000 + W, 2 * W + 1_000);
            assertThat(out.get(3).ranking.reciprocalRank).isEqualTo(1.0);
            h.processBothWatermarks(new Watermark(5 * W));
            if ("heap".equals(backend)) {
                assertThat(h.numKeyedStateEntries()).isZero();
            }
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static List<Long> ranked(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, PredictionEvent, FeedbackEvent, EngagementSignal>
                    h) {
        return h.extractOutputValues().stream()
                .filter(s -> s.kind == Kind.RANKED)
                .map(s -> s.eventTime)
                .collect(Collectors.toList());
    }
}
