package io.recsys.monitor.operators.engagement;

import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.FeedbackEvent;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RankingOutcome;
import io.recsys.monitor.model.RecommendedItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins feedback to the prediction it belongs to, keyed by request id, within an attribution window
 * of event time. Emits one {@link EngagementSignal} per served response and per attributed feedback
 * action; feedback whose prediction does not arrive in time becomes an {@link
 * EngagementSignal.Kind#UNATTRIBUTED} signal rather than vanishing.
 *
 * <p>State per request lives until the window closes (an event-time timer clears it), so that
 * memory follows the number of requests in flight, not the traffic seen. It also keeps the ranks of
 * the items the user engaged with ({@link Relevance}); when the window closes, a response with at
 * least one relevant item yields an {@link EngagementSignal.Kind#RANKED} signal with its
 * Precision@10, Recall@10, NDCG@10 and reciprocal rank ({@link RankingQuality}), stamped with the
 * closing time, which the downstream windows have not closed yet.
 */
public class FeedbackAttribution
        extends KeyedCoProcessFunction<String, PredictionEvent, FeedbackEvent, EngagementSignal> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final Relevance relevance;
    private final TypeInformation<ServedResponse> servedResponseType;

    private transient ValueState<ServedResponse> served;
    private transient ListState<FeedbackEvent> waiting;
    private transient Counter unattributedCounter;
    private transient Counter duplicatePredictions;

    public FeedbackAttribution(long windowMillis) {
        this(windowMillis, Relevance.CLICK);
    }

    public FeedbackAttribution(long windowMillis, Relevance relevance) {
        this(windowMillis, relevance, ServedResponseSerializer.TYPE);
    }

    /** With the state type of the responses: tests restore state written by earlier versions. */
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
    public void open(Configuration parameters) {
        served =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("served-response", servedResponseType));
        waiting =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "feedback-awaiting-prediction",
                                        TypeInformation.of(FeedbackEvent.class)));
        var group = getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
        unattributedCounter = group.counter("unattributedFeedback");
        duplicatePredictions = group.counter("duplicatePredictions");
    }

    @Override
    public void processElement1(
            PredictionEvent prediction, Context ctx, Collector<EngagementSignal> out)
            throws Exception {
        if (served.value() != null) {
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

        Iterable<FeedbackEvent> early = waiting.get();
        if (early != null) {
            for (FeedbackEvent feedback : early) {
                out.collect(attribute(response, feedback));
            }
            waiting.clear();
        }
        served.update(response);
    }

    @Override
    public void processElement2(
            FeedbackEvent feedback, Context ctx, Collector<EngagementSignal> out) throws Exception {
        ServedResponse response = served.value();
        if (response != null) {
            int before = response.relevantRanks.size();
            out.collect(attribute(response, feedback));
            if (response.relevantRanks.size() != before) {
                served.update(response);
            }
            return;
        }
        // The prediction may still be on its way (out of order, or another shard): wait for it.
        waiting.add(feedback);
        ctx.timerService().registerEventTimeTimer(expiry(feedback.eventTime));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EngagementSignal> out)
            throws Exception {
        ServedResponse response = served.value();
        if (response != null && expiry(response.eventTime) <= timestamp) {
            served.clear();
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
        Iterable<FeedbackEvent> pending = waiting.get();
        if (pending == null) {
            return;
        }
        List<FeedbackEvent> stillWaiting = new ArrayList<>();
        for (FeedbackEvent feedback : pending) {
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
        waiting.update(stillWaiting);
    }

    private long expiry(long eventTime) {
        return eventTime + windowMillis;
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
