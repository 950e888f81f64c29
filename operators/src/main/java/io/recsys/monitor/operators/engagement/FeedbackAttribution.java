package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementCounts;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RankingOutcome;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.model.SlicePartial;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins feedback to the prediction it belongs to, keyed by request id, within an attribution window
 * of event time. Emits one {@link EngagementSignal} per served response and per attributed feedback
 * action; feedback that cannot be attributed is counted, never dropped, in exactly one of two ways.
 *
 * <p>With A the attribution window, a response of event time tp is held from its arrival until the
 * watermark reaches tp + A (its window closes). A feedback event of time tf that arrives when the
 * watermark is W is:
 *
 * <ul>
 *   <li><b>attributed</b> when its response is held and tf <= tp + A: a signal of its action, in
 *       the window of tf (the funnel windows take it within their allowed lateness, A, and count it
 *       as late feedback beyond);
 *   <li><b>unattributed</b> ({@link EngagementSignal.Kind#UNATTRIBUTED}, {@code
 *       UnattributedFeedback}) when it came in time but has no response to join: it arrived before
 *       the watermark passed tf + A and no response joined it until then (its prediction never
 *       arrived); or its response is known but tf > tp + A (the action came too long after the
 *       response, in event time);
 *   <li><b>late</b> ({@link #LATE_FEEDBACK}, counted as {@code LateFeedback}) when it arrived after
 *       attribution had given up on it: its response's window had already closed (tf <= tp + A <=
 *       W; the closing time is remembered for another A), or, with no response held or remembered,
 *       the watermark had already passed tf + A, the end of its own wait for a prediction. The two
 *       counts are disjoint: which applies is decided once per event, by its arrival.
 * </ul>
 *
 * <p>State per request ({@link RequestAttribution}, one entry) lives until the window closes and,
 * as the closing time, for one more window (event-time timers clear it), so that memory follows the
 * number of requests in flight, not the traffic seen. The job runs this function in {@link
 * FeedbackAttributionOperator}, which moves the state of the previous release into that entry. It
 * also keeps the ranks of the items the user engaged with ({@link Relevance}); when the window
 * closes, a response with at least one relevant item yields an {@link EngagementSignal.Kind#RANKED}
 * signal with its Precision@10, Recall@10, NDCG@10 and reciprocal rank ({@link RankingQuality}),
 * stamped with the closing time, which the downstream windows have not closed yet.
 */
public class FeedbackAttribution
        extends KeyedCoProcessFunction<String, PredictionEvent, FeedbackEvent, EngagementSignal> {
    private static final long serialVersionUID = 1L;

    /**
     * Late feedback, as the funnel's partial count of its one action, for the late feedback count.
     */
    public static final OutputTag<SlicePartial<EngagementCounts>> LATE_FEEDBACK =
            new OutputTag<>(
                    "late-feedback-at-attribution", SlicePartial.typeInfo(EngagementMetric.COUNTS));

    /** The state of the previous release that held a request's response while it was open. */
    static final String PREVIOUS_SERVED = "served-response";

    /** The state of the previous release that held feedback awaiting its prediction. */
    static final String PREVIOUS_WAITING = "feedback-awaiting-prediction";

    /** The state of the previous release that remembered the time of a closed response. */
    static final String PREVIOUS_CLOSED = "closed-response-time";

    private final long windowMillis;
    private final Relevance relevance;
    private final TypeInformation<ServedResponse> servedResponseType;

    /** All that is kept for a request: one read and at most one write per event or timer. */
    private transient ValueState<RequestAttribution> request;

    private transient Counter unattributedCounter;
    private transient Counter duplicatePredictions;

    public FeedbackAttribution(long windowMillis) {
        this(windowMillis, Relevance.CLICK);
    }

    public FeedbackAttribution(long windowMillis, Relevance relevance) {
        this(windowMillis, relevance, ServedResponseSerializer.TYPE);
    }

    /**
     * With the type of the previous release's responses: tests restore state that the POJO
     * serializer of earlier versions wrote.
     */
    FeedbackAttribution(
            long windowMillis,
            Relevance relevance,
            TypeInformation<ServedResponse> servedResponseType) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("attribution window must be positive");
        }
        this.windowMillis = windowMillis;
        this.relevance = relevance;
        this.servedResponseType = servedResponseType;
    }

    @Override
    public void open(OpenContext openContext) {
        request =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "request-attribution", RequestAttributionSerializer.TYPE));
        var group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        unattributedCounter = group.counter("unattributedFeedback");
        duplicatePredictions = group.counter("duplicatePredictions");
    }

    /**
     * Moves what the previous release kept in three states per request ({@link #PREVIOUS_SERVED},
     * {@link #PREVIOUS_WAITING}, {@link #PREVIOUS_CLOSED}) into this version's one entry, for every
     * request a restored savepoint holds. Its timers (at the end of a response's window, one window
     * later, and at the end of a feedback event's wait) are this version's timers too. Called by
     * {@link FeedbackAttributionOperator} once the state is restored, before any event.
     */
    void migratePreviousRelease(KeyedStateBackend<String> backend) throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        for (String previous : List.of(PREVIOUS_SERVED, PREVIOUS_WAITING, PREVIOUS_CLOSED)) {
            try (Stream<String> stored = backend.getKeys(previous, VoidNamespace.INSTANCE)) {
                stored.forEach(keys::add);
            }
        }
        if (keys.isEmpty()) {
            // A fresh start, or state already migrated: the old states are not even declared.
            return;
        }
        ValueState<ServedResponse> served =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(PREVIOUS_SERVED, servedResponseType));
        ListState<FeedbackEvent> waiting =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ListStateDescriptor<>(
                                PREVIOUS_WAITING, TypeInformation.of(FeedbackEvent.class)));
        ValueState<Long> closed =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(PREVIOUS_CLOSED, Types.LONG));
        for (String key : keys) {
            backend.setCurrentKey(key);
            RequestAttribution entry = new RequestAttribution();
            entry.response = served.value();
            entry.closedResponseTime = closed.value();
            Iterable<FeedbackEvent> early = waiting.get();
            if (early != null) {
                early.forEach(entry.waiting::add);
            }
            if (!entry.isEmpty()) {
                request.update(entry);
            }
            served.clear();
            waiting.clear();
            closed.clear();
        }
    }

    @Override
    public void processElement1(
            PredictionEvent prediction, Context ctx, Collector<EngagementSignal> out)
            throws Exception {
        RequestAttribution entry = request.value();
        if (entry != null && entry.response != null) {
            // A retried producer can send the same response twice; count it once.
            duplicatePredictions.inc();
            return;
        }
        ServedResponse response = new ServedResponse();
        response.eventTime = prediction.eventTime;
        response.modelVersion = prediction.modelVersion;
        response.userSegment = prediction.userSegment;
        for (RecommendedItem item : prediction.recommendations) {
            response.itemIds.add(item.itemId);
        }
        ctx.timerService().registerEventTimeTimer(expiry(prediction.eventTime));
        out.collect(
                new EngagementSignal(
                        prediction.eventTime,
                        prediction.modelVersion,
                        prediction.userSegment,
                        EngagementSignal.Kind.SERVED,
                        prediction.recommendations.size(),
                        0,
                        0));
        if (entry == null) {
            entry = new RequestAttribution();
        } else {
            for (FeedbackEvent feedback : entry.waiting) {
                out.collect(attribute(response, feedback));
            }
            entry.waiting.clear();
        }
        entry.response = response;
        request.update(entry);
    }

    @Override
    public void processElement2(
            FeedbackEvent feedback, Context ctx, Collector<EngagementSignal> out) throws Exception {
        RequestAttribution entry = request.value();
        ServedResponse response = entry == null ? null : entry.response;
        if (response != null) {
            int before = response.relevantRanks.size();
            out.collect(attribute(response, feedback));
            if (response.relevantRanks.size() != before) {
                request.update(entry);
            }
            return;
        }
        Long closed = entry == null ? null : entry.closedResponseTime;
        if (closed != null) {
            if (feedback.eventTime > expiry(closed)) {
                // Too long after its response in event time, whenever it had come.
                unattributedCounter.inc();
                out.collect(
                        new EngagementSignal(
                                feedback.eventTime,
                                null,
                                null,
                                EngagementSignal.Kind.UNATTRIBUTED,
                                0,
                                0,
                                0));
            } else {
                late(feedback, ctx);
            }
            return;
        }
        if (expiry(feedback.eventTime) <= ctx.timerService().currentWatermark()) {
            // Its wait for a prediction would have ended before it arrived.
            late(feedback, ctx);
            return;
        }
        // The prediction may still be on its way (out of order, or another shard): wait for it.
        if (entry == null) {
            entry = new RequestAttribution();
        }
        entry.waiting.add(feedback);
        request.update(entry);
        ctx.timerService().registerEventTimeTimer(expiry(feedback.eventTime));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EngagementSignal> out)
            throws Exception {
        RequestAttribution entry = request.value();
        if (entry == null) {
            return;
        }
        boolean changed = false;
        if (entry.closedResponseTime != null
                && expiry(expiry(entry.closedResponseTime)) <= timestamp) {
            entry.closedResponseTime = null;
            changed = true;
        }
        ServedResponse response = entry.response;
        if (response != null && expiry(response.eventTime) <= timestamp) {
            entry.response = null;
            // Feedback for it that arrives from now on is late, not unattributed; after another
            // window, the watermark is past the wait of any feedback it could have taken.
            entry.closedResponseTime = response.eventTime;
            changed = true;
            ctx.timerService().registerEventTimeTimer(expiry(expiry(response.eventTime)));
            RankingOutcome ranking =
                    RankingQuality.of(response.relevantRanks, response.itemIds.size());
            if (ranking != null) {
                EngagementSignal ranked =
                        new EngagementSignal(
                                timestamp,
                                response.modelVersion,
                                response.userSegment,
                                EngagementSignal.Kind.RANKED,
                                0,
                                0,
                                0);
                ranked.ranking = ranking;
                out.collect(ranked);
            }
        }
        if (!entry.waiting.isEmpty()) {
            List<FeedbackEvent> stillWaiting = new ArrayList<>();
            for (FeedbackEvent feedback : entry.waiting) {
                if (expiry(feedback.eventTime) <= timestamp) {
                    unattributedCounter.inc();
                    // Stamped with the time attribution gave up, which the downstream windows
                    // have not closed yet.
                    out.collect(
                            new EngagementSignal(
                                    timestamp,
                                    null,
                                    null,
                                    EngagementSignal.Kind.UNATTRIBUTED,
                                    0,
                                    0,
                                    0));
                } else {
                    stillWaiting.add(feedback);
                }
            }
            if (stillWaiting.size() != entry.waiting.size()) {
                entry.waiting = stillWaiting;
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        if (entry.isEmpty()) {
            request.clear();
        } else {
            request.update(entry);
        }
    }

    private long expiry(long eventTime) {
        return eventTime + windowMillis;
    }

    /** Sends late feedback to {@link #LATE_FEEDBACK}: the count of its one action. */
    private void late(FeedbackEvent feedback, Context ctx) {
        EngagementCounts counts = new EngagementCounts();
        counts.add(
                new EngagementSignal(
                        feedback.eventTime,
                        null,
                        null,
                        kindOf(feedback.action),
                        0,
                        feedback.action == FeedbackAction.PURCHASE ? feedback.orderValue : 0,
                        0));
        ctx.output(
                LATE_FEEDBACK,
                new SlicePartial<>(TrafficSlice.key(null, null), feedback.eventTime, counts));
    }

    /**
     * The signal of a feedback action on a known response. Feedback later than the attribution
     * window after its response is unattributed, whether or not the response is still held.
     * Relevant feedback marks its rank in {@code response}; the caller stores the response.
     */
    private EngagementSignal attribute(ServedResponse response, FeedbackEvent feedback) {
        if (feedback.eventTime > expiry(response.eventTime)) {
            unattributedCounter.inc();
            return new EngagementSignal(
                    feedback.eventTime, null, null, EngagementSignal.Kind.UNATTRIBUTED, 0, 0, 0);
        }
        int rank = response.rankOf(feedback.itemId);
        if (relevance.isRelevant(feedback.action)) {
            response.markRelevant(rank);
        }
        return new EngagementSignal(
                feedback.eventTime,
                response.modelVersion,
                response.userSegment,
                kindOf(feedback.action),
                0,
                feedback.action == FeedbackAction.PURCHASE ? feedback.orderValue : 0,
                rank);
    }

    private static EngagementSignal.Kind kindOf(FeedbackAction action) {
        switch (action) {
            case IMPRESSION:
                return EngagementSignal.Kind.IMPRESSION;
            case CLICK:
                return EngagementSignal.Kind.CLICK;
            case ADD_TO_CART:
                return EngagementSignal.Kind.ADD_TO_CART;
            case PURCHASE:
                return EngagementSignal.Kind.PURCHASE;
            default:
                throw new IllegalStateException("Unhandled action " + action);
        }
    }
}
