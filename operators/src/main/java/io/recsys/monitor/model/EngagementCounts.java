package io.recsys.monitor.model;

/**
 * Funnel counts of one window and one slice of traffic. It is the accumulator of the engagement
 * windows and merges by addition, so that fine slices (model version and segment) roll up into
 * coarse ones (model version, overall) without re-reading events.
 */
public class EngagementCounts {
    public long responses;
    public long itemsServed;
    public long impressions;
    public long clicks;
    public long addToCarts;
    public long purchases;
    public double revenue;
    public long unattributed;

    public EngagementCounts() {}

    /** Counts one signal. */
    public EngagementCounts add(EngagementSignal signal) {
        switch (signal.kind) {
            case SERVED:
                responses++;
                itemsServed += signal.itemsServed;
                break;
            case IMPRESSION:
                impressions++;
                break;
            case CLICK:
                clicks++;
                break;
            case ADD_TO_CART:
                addToCarts++;
                break;
            case PURCHASE:
                purchases++;
                revenue += signal.orderValue;
                break;
            case UNATTRIBUTED:
                unattributed++;
                break;
            default:
                throw new IllegalStateException("Unhandled signal kind " + signal.kind);
        }
        return this;
    }

    /** Adds {@code other} into this one. */
    public EngagementCounts merge(EngagementCounts other) {
        responses += other.responses;
        itemsServed += other.itemsServed;
        impressions += other.impressions;
        clicks += other.clicks;
        addToCarts += other.addToCarts;
        purchases += other.purchases;
        revenue += other.revenue;
        unattributed += other.unattributed;
        return this;
    }

    public EngagementCounts copy() {
        return new EngagementCounts().merge(this);
    }

    @Override
    public String toString() {
        return "EngagementCounts{responses="
                + responses
                + ", itemsServed="
                + itemsServed
                + ", impressions="
                + impressions
                + ", clicks="
                + clicks
                + ", addToCarts="
                + addToCarts
                + ", purchases="
                + purchases
                + ", revenue="
                + revenue
                + ", unattributed="
                + unattributed
                + "}";
    }
}
