package io.recsys.monitor.model;

import java.util.Objects;

/**
 * One step of the engagement funnel after attribution: a response served, or a feedback action
 * joined to the model version and segment of the response it belongs to. Feedback whose response
 * never arrived within the attribution window is an {@link Kind#UNATTRIBUTED} signal with no model
 * version. When a response's attribution window closes and the user engaged with some of its items,
 * a {@link Kind#RANKED} signal carries the response's online ranking quality.
 */
public class EngagementSignal {
    /** Funnel steps. */
    public enum Kind {
        SERVED,
        IMPRESSION,
        CLICK,
        ADD_TO_CART,
        PURCHASE,
        UNATTRIBUTED,
        /** The ranking quality of one response, when its attribution window closed. */
        RANKED
    }

    public long eventTime;

    /** {@code null} for {@link Kind#UNATTRIBUTED}. */
    public String modelVersion;

    /** {@code null} for {@link Kind#UNATTRIBUTED}. */
    public String userSegment;

    public Kind kind;

    /** Items recommended in the response, for {@link Kind#SERVED}; 0 otherwise. */
    public int itemsServed;

    /** Order value of a purchase; 0 otherwise. */
    public double orderValue;

    /** 1-based rank of the item acted on in its response; 0 when unknown. */
    public int rank;

    /** For {@link Kind#RANKED}; {@code null} otherwise. */
    public RankingOutcome ranking;

    public EngagementSignal() {}

    public EngagementSignal(
            long eventTime,
            String modelVersion,
            String userSegment,
            Kind kind,
            int itemsServed,
            double orderValue,
            int rank) {
        this.eventTime = eventTime;
        this.modelVersion = modelVersion;
        this.userSegment = userSegment;
        this.kind = kind;
        this.itemsServed = itemsServed;
        this.orderValue = orderValue;
        this.rank = rank;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngagementSignal)) {
            return false;
        }
        EngagementSignal that = (EngagementSignal) o;
        return eventTime == that.eventTime
                && itemsServed == that.itemsServed
                && Double.compare(orderValue, that.orderValue) == 0
                && rank == that.rank
                && Objects.equals(modelVersion, that.modelVersion)
                && Objects.equals(userSegment, that.userSegment)
                && kind == that.kind
                && Objects.equals(ranking, that.ranking);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventTime, modelVersion, userSegment, kind, rank);
    }

    @Override
    public String toString() {
        return "EngagementSignal{"
                + kind
                + " t="
                + eventTime
                + " "
                + modelVersion
                + "/"
                + userSegment
                + (itemsServed > 0 ? " items=" + itemsServed : "")
                + (orderValue > 0 ? " value=" + orderValue : "")
                + (rank > 0 ? " rank=" + rank : "")
                + (ranking != null ? " " + ranking : "")
                + "}";
    }
}
