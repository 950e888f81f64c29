package io.recsys.monitor.operators.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps an event whose {@code event_time} lies far in the future from moving event time. A
 * watermark follows the newest event time, so before this guard one valid event dated 9999-12-31,
 * or from a producer whose clock ran a day ahead, made every later event late: windows closed
 * early, metrics went missing and volume alarms fired for years nobody lived in.
 *
 * <p>The rules, per source subtask and in its input order (so that the same input gives the same
 * output on every run), with {@code skew} = {@code events.max-future-skew}:
 *
 * <ul>
 *   <li><b>Live sources</b> (event time follows the clock): an event more than {@code skew} ahead
 *       of the wall clock is rejected at once ({@link #aheadOfClock}). Nothing is held.
 *   <li><b>Replays</b>: the <i>reference</i> is the newest event time accepted so far. An event at
 *       most {@code skew} ahead of it is accepted and emitted at once, however far behind it is
 *       (late events are for the windows to judge).
 *   <li>An event further ahead is <i>held</i>, not emitted. Every later event that is not more than
 *       {@code skew} behind a held event <i>supports</i> it: the stream went on from there. When a
 *       held event has {@code corroboration - 1} supporters the jump is real (traffic after a gap,
 *       a replay that skips hours): the reference moves to the newest such event and every held
 *       event at most {@code skew} ahead of the new reference is released, in input order.
 *   <li>A lone outlier is never supported, since the stream does not follow it. It is rejected when
 *       {@code patience} later events have passed, when more than {@code capacity} events are held
 *       (oldest first), or at the end of input.
 *   <li>At the start there is no reference, so every event is held until one is supported: a first
 *       line dated 9999 does not become the reference. An event held then that lies behind the
 *       reference once it exists (a line dated 1970) is released with the others: it is just late.
 *       At the end of input with no reference yet, everything held is released (too little to
 *       judge).
 *   <li>As events move with the reference, a held event at most {@code skew} ahead of a new
 *       reference is released too.
 * </ul>
 *
 * <p>The cost is a delay of {@code corroboration - 1} events after a jump, and at most {@code
 * capacity} held events per subtask. In a stream so sparse that each event lies more than {@code
 * skew} after the one before, the last {@code corroboration - 1} events of the input are never
 * supported and are rejected. Pure Java: {@link GuardedParse} is the Flink operator around it.
 *
 * @param <E> the event as the caller holds it
 */
public final class EventTimeGuard<E> {
    /** No reference yet: nothing has been accepted. */
    public static final long NO_REFERENCE = Long.MIN_VALUE;

    /** Held events needed to confirm a jump of event time (the event and two supporters). */
    public static final int DEFAULT_CORROBORATION = 3;

    /** Later events after which an unsupported held event is rejected. */
    public static final int DEFAULT_PATIENCE = 256;

    /** Most events held at once per subtask; each is at most {@code events.max-bytes}. */
    public static final int DEFAULT_CAPACITY = 256;

    /** Where the guard's decisions go, in the order it takes them. */
    public interface Decisions<E> {
        /** {@code event} may move event time: emit it. */
        void accept(E event);

        /** {@code event} has an event time nobody confirmed: dead-letter it with {@code reason}. */
        void reject(E event, String reason);
    }

    /** An event held back, with what the stream said about it since. */
    public static final class Held<E> {
        public final E event;
        public final long eventTime;

        /** Later events not more than the skew behind it. */
        public int support;

        /** Later events of any kind. */
        public int waited;

        public Held(E event, long eventTime, int support, int waited) {
            this.event = event;
            this.eventTime = eventTime;
            this.support = support;
            this.waited = waited;
        }
    }

    private final long skewMillis;
    private final int corroboration;
    private final int patience;
    private final int capacity;

    private long reference = NO_REFERENCE;
    private final List<Held<E>> held = new ArrayList<>();

    public EventTimeGuard(Duration skew) {
        this(skew, DEFAULT_CORROBORATION, DEFAULT_PATIENCE, DEFAULT_CAPACITY);
    }

    public EventTimeGuard(Duration skew, int corroboration, int patience, int capacity) {
        if (skew.isNegative() || skew.isZero()) {
            throw new IllegalArgumentException("skew must be positive, got " + skew);
        }
        if (corroboration < 1 || patience < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "corroboration, patience and capacity must be >= 1, got "
                            + corroboration
                            + ", "
                            + patience
                            + ", "
                            + capacity);
        }
        this.skewMillis = skew.toMillis();
        this.corroboration = corroboration;
        this.patience = patience;
        this.capacity = capacity;
    }

    /**
     * The live rule: a reason to reject an event {@code eventTime} more than {@code skew} ahead of
     * the clock at {@code now}, or null when it may pass.
     */
    public static String aheadOfClock(long eventTime, long now, Duration skew) {
        // Event times are >= 0 (the parser rejects negative ones), so the difference cannot
        // overflow.
        if (eventTime - now <= skew.toMillis()) {
            return null;
        }
        return "event_time "
                + instant(eventTime)
                + " is more than "
                + text(skew)
                + " ahead of the clock (reference "
                + instant(now)
                + ")";
    }

    /** Takes the next event of the input, with its event time. */
    public void offer(E event, long eventTime, Decisions<E> out) {
        for (Held<E> h : held) {
            h.waited++;
            if (eventTime >= h.eventTime - skewMillis) {
                h.support++;
            }
        }
        if (reference != NO_REFERENCE && eventTime <= ahead(reference)) {
            out.accept(event);
            moveReference(eventTime, out);
        } else {
            held.add(new Held<>(event, eventTime, 0, 0));
        }
        confirm(out);
        Iterator<Held<E>> it = held.iterator();
        while (it.hasNext()) {
            Held<E> h = it.next();
            // Oldest first: the first event that has not waited long enough ends the scan.
            if (h.waited < patience) {
                break;
            }
            it.remove();
            out.reject(
                    h.event,
                    unconfirmed(h)
                            + " and no "
                            + (corroboration - 1)
                            + " of the next "
                            + patience
                            + " events came near it");
        }
        while (held.size() > capacity) {
            Held<E> h = held.remove(0);
            out.reject(h.event, unconfirmed(h) + " and more than " + capacity + " were held");
        }
    }

    /**
     * The input ended: with a reference, what is held was never confirmed and is rejected; without
     * one, there was too little input to judge, and what is held is released.
     */
    public void endOfInput(Decisions<E> out) {
        for (Held<E> h : held) {
            if (reference == NO_REFERENCE) {
                out.accept(h.event);
            } else {
                out.reject(
                        h.event,
                        unconfirmed(h)
                                + " and the input ended before "
                                + (corroboration - 1)
                                + " later events came near it");
            }
        }
        held.clear();
    }

    /** The newest accepted event time, or {@link #NO_REFERENCE}. */
    public long reference() {
        return reference;
    }

    /** The held events, oldest first (for checkpoints and tests). */
    public List<Held<E>> held() {
        return Collections.unmodifiableList(held);
    }

    /** Restores what {@link #reference()} and {@link #held()} returned at a checkpoint. */
    public void restore(long reference, List<Held<E>> held) {
        this.reference = reference;
        this.held.clear();
        this.held.addAll(held);
    }

    private void confirm(Decisions<E> out) {
        long confirmed = NO_REFERENCE;
        for (Held<E> h : held) {
            if (h.support >= corroboration - 1) {
                confirmed = Math.max(confirmed, h.eventTime);
            }
        }
        if (confirmed != NO_REFERENCE) {
            moveReference(confirmed, out);
        }
    }

    /** Moves the reference forward and releases the held events it has caught up with. */
    private void moveReference(long eventTime, Decisions<E> out) {
        if (reference != NO_REFERENCE && eventTime <= reference) {
            return;
        }
        // A released event is accepted like any other, so it moves the reference too, and that
        // may release more: find where the chain ends first, then release in input order.
        long newest = eventTime;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Held<E> h : held) {
                if (h.eventTime > newest && h.eventTime <= ahead(newest)) {
                    newest = h.eventTime;
                    moved = true;
                }
            }
        }
        reference = newest;
        Iterator<Held<E>> it = held.iterator();
        while (it.hasNext()) {
            Held<E> h = it.next();
            if (h.eventTime <= ahead(reference)) {
                it.remove();
                out.accept(h.event);
            }
        }
    }

    /** The latest event time that {@code time} vouches for; saturates for absurd epochs. */
    private long ahead(long time) {
        return time > Long.MAX_VALUE - skewMillis ? Long.MAX_VALUE : time + skewMillis;
    }

    private String unconfirmed(Held<E> h) {
        if (reference == NO_REFERENCE) {
            return "event_time " + instant(h.eventTime) + " was never confirmed by the stream";
        }
        return "event_time "
                + instant(h.eventTime)
                + " is more than "
                + text(Duration.ofMillis(skewMillis))
                + " ahead of the stream's event time (reference "
                + instant(reference)
                + ")";
    }

    private static String instant(long millis) {
        try {
            return Instant.ofEpochMilli(millis).toString();
        } catch (RuntimeException e) {
            return Long.toString(millis);
        }
    }

    /** A duration as the configuration writes it: 5min, 30s, 1h. */
    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
