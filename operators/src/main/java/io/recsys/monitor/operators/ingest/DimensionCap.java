package io.recsys.monitor.operators.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * The values of one dimension (model_version, user_segment or feature names) that keep their own
 * name, first come first kept, up to a cap; any other value is folded into {@value #OTHER}.
 * Windows, drift state and alarm series are kept per value of these dimensions, so without a cap a
 * producer that sends a new model version per request grows them without bound. Pure Java: {@link
 * FoldDimensions} runs it in Flink.
 *
 * <p>Only kept values are stored, each with the newest event time it was seen at (with idle
 * release; without it, the time it was first kept, which nothing reads), so memory is bounded by
 * the cap whatever the input (and by the restored values after a rescale, see {@link #restore}). A
 * kept value not seen for {@code idleReleaseMillis} of event time gives its place to a new value
 * once the cap is reached, so that a long-running job follows model versions as they are deployed
 * and retired instead of folding every version after the first {@code cap}. Event time here is the
 * newest event time this instance has seen, never the wall clock, so the same input in the same
 * order gives the same admissions in every run.
 */
public final class DimensionCap {
    /** The value that stands for every value beyond the cap. */
    public static final String OTHER = "other";

    private final int cap;
    private final long idleReleaseMillis;

    /** Kept value to the newest event time it was seen at (first kept at, without release). */
    private final HashMap<String, Long> lastSeen = new HashMap<>();

    /** The newest event time seen: the clock of idle release. */
    private long now = Long.MIN_VALUE;

    /**
     * A lower bound of the oldest last-seen time, so that a folded value costs a scan of the kept
     * values only when one of them may have become idle.
     */
    private long oldestBound = Long.MIN_VALUE;

    /**
     * @param cap how many values keep their own name
     * @param idleReleaseMillis event time after which an unseen value may be replaced; 0: never
     */
    public DimensionCap(int cap, long idleReleaseMillis) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, got " + cap);
        }
        if (idleReleaseMillis < 0) {
            throw new IllegalArgumentException(
                    "idle release must not be negative, got " + idleReleaseMillis);
        }
        this.cap = cap;
        this.idleReleaseMillis = idleReleaseMillis;
    }

    /**
     * The name {@code value} goes by: itself when it is kept or there is room for it (it is then
     * kept), {@value #OTHER} otherwise. {@code null} stays {@code null}: an absent value is the
     * contract's business, not a new value.
     */
    public String admit(String value, long eventTime) {
        if (value == null) {
            advance(eventTime);
            return null;
        }
        return keep(value, eventTime) ? value : OTHER;
    }

    /**
     * Keeps {@code value} if it is kept already or there is room for it; false if beyond the cap.
     */
    public boolean keep(String value, long eventTime) {
        advance(eventTime);
        Long seen = lastSeen.get(value);
        if (seen != null) {
            // Without release nothing reads the time, so the hot path spares the write.
            if (idleReleaseMillis > 0 && eventTime > seen) {
                lastSeen.put(value, eventTime);
            }
            return true;
        }
        if (lastSeen.size() >= cap && !releaseIdle()) {
            return false;
        }
        lastSeen.put(value, eventTime);
        oldestBound = Math.min(oldestBound, eventTime);
        return true;
    }

    private void advance(long eventTime) {
        if (eventTime > now) {
            now = eventTime;
        }
    }

    /**
     * Releases the kept value seen longest ago if it has been idle long enough; true if it did.
     * Ties go to the smallest value, so that the choice does not depend on hash order.
     */
    private boolean releaseIdle() {
        if (idleReleaseMillis == 0 || now == Long.MIN_VALUE) {
            return false;
        }
        long idleBefore = now - idleReleaseMillis;
        if (oldestBound >= idleBefore) {
            return false;
        }
        String oldest = null;
        long oldestTime = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            long t = e.getValue();
            if (oldest == null
                    || t < oldestTime
                    || (t == oldestTime && e.getKey().compareTo(oldest) < 0)) {
                oldest = e.getKey();
                oldestTime = t;
            }
        }
        oldestBound = oldestTime;
        if (oldest == null || oldestTime >= idleBefore) {
            return false;
        }
        lastSeen.remove(oldest);
        oldestBound = Long.MIN_VALUE;
        return true;
    }

    /** Whether {@code value} is kept under its own name. */
    public boolean isKept(String value) {
        return lastSeen.containsKey(value);
    }

    /** How many values are kept. */
    public int size() {
        return lastSeen.size();
    }

    /** The kept values with their last-seen event times, for a checkpoint. */
    public Map<String, Long> kept() {
        return new HashMap<>(lastSeen);
    }

    /**
     * Adds kept values from a checkpoint, keeping the newest last-seen time of a value restored
     * twice. Every restored value is kept, even beyond the cap: a value that had its own series
     * before a restore or rescale keeps it afterwards. After a rescale that hands one instance the
     * values of several, it holds at most their sum and admits nothing new until values are
     * released; across the job that is never more than the bound before the rescale.
     */
    public void restore(Map<String, Long> kept) {
        for (Map.Entry<String, Long> e : kept.entrySet()) {
            lastSeen.merge(e.getKey(), e.getValue(), Math::max);
            if (e.getValue() > now) {
                now = e.getValue();
            }
        }
        oldestBound = Long.MIN_VALUE;
    }
}
