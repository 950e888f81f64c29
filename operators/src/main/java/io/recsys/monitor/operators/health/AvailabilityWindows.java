package io.recsys.monitor.operators.health;

/**
 * The availability of the last {@code span} windows of one series, kept in a ring of one byte per
 * window: whether a window had traffic with an error rate under the threshold (available), had
 * traffic above it (unavailable), or had no traffic (not counted). Availability is the share of
 * available windows among the windows with traffic in the span; a window without traffic is left
 * out because a slice with sparse traffic (a small segment) must not look unavailable, and a silent
 * stream is what the freshness metric ({@code EventLagSeconds}) catches.
 *
 * <p>Pure Java; the state is the ring and the index of its newest window, whatever the traffic.
 */
public final class AvailabilityWindows {
    static final byte NO_TRAFFIC = 0;
    static final byte AVAILABLE = 1;
    static final byte UNAVAILABLE = 2;

    private final byte[] ring;
    private long newestWindow;

    /** An empty ring of {@code span} windows. */
    public AvailabilityWindows(int span) {
        this(new byte[span], Long.MIN_VALUE);
    }

    /** A ring restored from {@link #ring()} and {@link #newestWindow()}. */
    public AvailabilityWindows(byte[] ring, long newestWindow) {
        if (ring.length == 0) {
            throw new IllegalArgumentException("span must be at least one window");
        }
        this.ring = ring;
        this.newestWindow = newestWindow;
    }

    /**
     * Records window number {@code window} (window end / period). Windows between the newest one
     * and this one had no traffic; a window older than the span is ignored.
     */
    public void record(long window, boolean available) {
        int span = ring.length;
        if (newestWindow == Long.MIN_VALUE || window - newestWindow >= span) {
            java.util.Arrays.fill(ring, NO_TRAFFIC);
            newestWindow = window;
        } else if (window > newestWindow) {
            for (long w = newestWindow + 1; w < window; w++) {
                ring[slot(w)] = NO_TRAFFIC;
            }
            newestWindow = window;
        } else if (newestWindow - window >= span) {
            return;
        }
        ring[slot(window)] = available ? AVAILABLE : UNAVAILABLE;
    }

    /** Available windows per window with traffic in the span, in percent; NaN when none. */
    public double availabilityPercent() {
        int withTraffic = 0;
        int available = 0;
        for (byte b : ring) {
            if (b != NO_TRAFFIC) {
                withTraffic++;
                if (b == AVAILABLE) {
                    available++;
                }
            }
        }
        return withTraffic == 0 ? Double.NaN : 100.0 * available / withTraffic;
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
