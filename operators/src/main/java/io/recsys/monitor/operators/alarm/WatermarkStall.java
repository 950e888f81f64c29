package io.recsys.monitor.operators.alarm;

/**
 * Tells a stalled watermark from a lagging one, by the wall clock: the watermark is stalled when it
 * has not moved for the grace period. A backlog that is being worked through (a catch-up, a replay
 * from the stream's start) moves the watermark all the time however far behind the clock it is, so
 * it is never taken for an outage; a job whose sources all went silent is.
 *
 * <p>One per operator instance, not state: the watermark is the operator's, and after a restart the
 * grace simply starts again.
 */
final class WatermarkStall {
    private final long graceMillis;
    private long watermark = Long.MIN_VALUE;
    private long movedAt = Long.MIN_VALUE;

    WatermarkStall(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    /** Notes the watermark seen at wall-clock time {@code now}. */
    void observe(long currentWatermark, long now) {
        if (currentWatermark != watermark || movedAt == Long.MIN_VALUE) {
            watermark = currentWatermark;
            movedAt = now;
        }
    }

    /** Whether the watermark has stood still for the grace period at {@code now}. */
    boolean isStalled(long now) {
        return movedAt != Long.MIN_VALUE && now - movedAt >= graceMillis;
    }

    /** The wall-clock time at which the watermark, if it does not move, counts as stalled. */
    long stalledAt() {
        return movedAt + graceMillis;
    }
}
