package io.recsys.monitor.model;

import java.util.Objects;

/** A user's action on a recommended item, tied to its response by {@code requestId}. */
public class FeedbackEvent {
    public String requestId;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public String userId;
    public String itemId;
    public FeedbackAction action;

    /** Order value of a purchase, greater than 0; {@code NaN} for other actions. */
    public double orderValue = Double.NaN;

    /** Rating in [1, 5]; {@code NaN} when absent. */
    public double rating = Double.NaN;

    public FeedbackEvent() {}

    public FeedbackEvent(
            String requestId, long eventTime, String userId, String itemId, FeedbackAction action) {
        this.requestId = requestId;
        this.eventTime = eventTime;
        this.userId = userId;
        this.itemId = itemId;
        this.action = action;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeedbackEvent)) {
            return false;
        }
        FeedbackEvent that = (FeedbackEvent) o;
        return eventTime == that.eventTime
                && Double.compare(orderValue, that.orderValue) == 0
                && Double.compare(rating, that.rating) == 0
                && Objects.equals(requestId, that.requestId)
                && Objects.equals(userId, that.userId)
                && Objects.equals(itemId, that.itemId)
                && action == that.action;
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, eventTime, itemId, action);
    }

    @Override
    public String toString() {
        return "FeedbackEvent{"
                + requestId
                + ", t="
                + eventTime
                + ", item="
                + itemId
                + ", "
                + action
                + (Double.isNaN(orderValue) ? "" : ", orderValue=" + orderValue)
                + "}";
    }
}
