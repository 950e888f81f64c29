package io.recsys.monitor.operators.health;

import java.util.Arrays;

/**
 * The availability of the last {@code span} windows of one series, kept in a ring of one byte per
 * window: whether a window had traffic with an error rate under the threshold (available), had
 * traffic above it (unavailable), or had no traffic (not counted). Availability is the share of
 * available windows among the windows with traffic in the span; a window without traffic is left
 * out because a slice with sparse traffic (a small segment) must not look unavailable, and a silent
 * stream is what the freshness metric ({@code EventLagSeconds}) catches.
 *
 * <p>The ring keeps {@code history} windows more than the span, so that when a late window (a
 * correction within the health windows' allowed lateness) changes, the availability of every window
 * after it that was already reported can be computed again over its own span ({@link
 * #availabilityPercent(long)}).
 *
 * <p>Pure Java; the state is the ring and the index of its newest window, whatever the traffic.
 */
public final class AvailabilityWindows {
    static final byte NO_TRAFFIC = 0;
    static final byte AVAILABLE = 1;
    static final byte UNAVAILABLE = 2;

    private final int span;
    private final byte[] ring;
    private long newestWindow;

    /** An empty ring of {@code span} windows and no history. */
    public AvailabilityWindows(int span) {
        this(span, 0);
    }

    /** An empty ring of {@code span} windows and {@code history} windows before them. */
    public AvailabilityWindows(int span, int history) {
        this(span, history, new byte[0], Long.MIN_VALUE);
    }

    /**
     * A ring restored from {@link #ring()} and {@link #newestWindow()}. A ring of another length
     * (an earlier version kept {@code span} bytes, no history) keeps the windows both lengths hold.
     */
    public AvailabilityWindows(int span, int history, byte[] stored, long newestWindow) {
        if (span <= 0 || history < 0) {
            throw new IllegalArgumentException("span must be at least one window, history >= 0");
        }
        this.span = span;
        this.ring = new byte[span + history];
        this.newestWindow = newestWindow;
        if (newestWindow != Long.MIN_VALUE && stored.length > 0) {
            int kept = Math.min(stored.length, ring.length);
            for (long w = newestWindow - kept + 1; w <= newestWindow; w++) {
                ring[slot(w)] = stored[(int) Math.floorMod(w, (long) stored.length)];
            }
        } else {
            this.newestWindow = Long.MIN_VALUE;
        }
    }

    /**
     * Records window number {@code window} (window end / period), in place of what it held. Windows
     * between the newest one and this one had no traffic; a window older than the ring is ignored.
     * Returns whether it was recorded.
     */
    public boolean record(long window, boolean available) {
        int length = ring.length;
        if (newestWindow == Long.MIN_VALUE || window - newestWindow >= length) {
            Arrays.fill(ring, NO_TRAFFIC);
            newestWindow = window;
        } else if (window > newestWindow) {
            for (long w = newestWindow + 1; w < window; w++) {
                ring[slot(w)] = NO_TRAFFIC;
            }
            newestWindow = window;
        } else if (newestWindow - window >= length) {
            return false;
        }
        ring[slot(window)] = available ? AVAILABLE : UNAVAILABLE;
        return true;
    }

    /** Availability at the newest window: {@link #availabilityPercent(long)} of it. */
    public double availabilityPercent() {
        return newestWindow == Long.MIN_VALUE ? Double.NaN : availabilityPercent(newestWindow);
    }

    /**
     * Available windows per window with traffic in the span that ends with {@code window}, in
     * percent; NaN when none, or when the span reaches before the ring's history.
     */
    public double availabilityPercent(long window) {
        if (newestWindow == Long.MIN_VALUE
                || window > newestWindow
                || newestWindow - window + span > ring.length) {
            return Double.NaN;
        }
        int withTraffic = 0;
        int available = 0;
        for (long w = window - span + 1; w <= window; w++) {
            byte b = ring[slot(w)];
            if (b != NO_TRAFFIC) {
                withTraffic++;
                if (b == AVAILABLE) {
                    available++;
                }
            }
        }
        return withTraffic == 0 ? Double.NaN : 100.0 * available / withTraffic;
    }

    /**
     * Windows with traffic in the span that ends with {@code window}: the trials behind {@link
     * #availabilityPercent(long)}; 0 when it is NaN.
     */
    public long windowsWithTraffic(long window) {
        if (newestWindow == Long.MIN_VALUE
                || window > newestWindow
                || newestWindow - window + span > ring.length) {
            return 0;
        }
        long withTraffic = 0;
        for (long w = window - span + 1; w <= window; w++) {
            if (ring[slot(w)] != NO_TRAFFIC) {
                withTraffic++;
            }
        }
        return withTraffic;
    }

    /** Whether window {@code window} is held and had traffic. */
    public boolean hadTraffic(long window) {
        return newestWindow != Long.MIN_VALUE
                && window <= newestWindow
                && newestWindow - window < ring.length
                && ring[slot(window)] != NO_TRAFFIC;
    }

    public byte[] ring() {
        return ring;
    }

    public long newestWindow() {
        return newestWindow;
    }

    private int slot(long window) {
        return (int) Math.floorMod(window, (long) ring.length);
    }
}
