package io.recsys.monitor.sinks.aws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How long a sink keeps retrying requests that fail with throttling or network errors. Between
 * tries the async sink's rate limiting shrinks what is in flight (its backoff); this bounds the
 * time: once requests have failed for longer than the limit without a single success, the sink
 * fails the job with an ordinary (recoverable) failure, so that the restart strategy, with its own
 * backoff and limit, takes over, and the buffered entries wait in the checkpoint. Thread-safe: the
 * SDK completes requests on its own threads.
 */
public final class RetryBound {
    /** Rides out a short outage or a burst of throttling without a restart. */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(5);

    private static final long NOT_FAILING = Long.MIN_VALUE;

    private final long limitNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong failingSince = new AtomicLong(NOT_FAILING);

    public RetryBound(Duration limit, LongSupplier nanoClock) {
        this.limitNanos = limit.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The default limit on the JVM's monotonic clock. */
    public static RetryBound ofDefault() {
        return new RetryBound(DEFAULT_LIMIT, System::nanoTime);
    }

    /** A request succeeded: the next failure starts a new count. */
    public void succeeded() {
        failingSince.set(NOT_FAILING);
    }

    /**
     * Records a retryable failure; true when requests have been failing, with no success between,
     * for longer than the limit.
     */
    public boolean exhausted() {
        long now = nanoClock.getAsLong();
        failingSince.compareAndSet(NOT_FAILING, now);
        long since = failingSince.get();
        return since != NOT_FAILING && now - since > limitNanos;
    }

    /** The limit, for messages. */
    public Duration limit() {
        return Duration.ofNanos(limitNanos);
    }
}
