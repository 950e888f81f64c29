package io.recsys.monitor.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event time a dead letter most likely had: its {@code event_time} read from the raw text when
 * it can be found there (a truncated or mistyped event usually still has it), so that invalid
 * events are counted in the event-time window of the traffic around them rather than at the time
 * the job happened to reject them. Pure Java.
 */
public final class DeadLetterEventTime {
    private static final Pattern EVENT_TIME =
            Pattern.compile("\"event_time\"\\s*:\\s*(?:\"([^\"]{1,64})\"|(\\d{1,18})[^\\d.eE])");

    private static final Pattern REFERENCE = Pattern.compile("\\(reference ([^ )]{1,40})\\)");

    private DeadLetterEventTime() {}

    /**
     * The reference time named by a {@code time_out_of_range} reason ({@code ... (reference
     * 2026-01-01T10:00:00Z)}), or empty.
     */
    static OptionalLong reference(DeadLetter deadLetter) {
        if (deadLetter.reason == null) {
            return OptionalLong.empty();
        }
        Matcher m = REFERENCE.matcher(deadLetter.reason);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Instant.parse(m.group(1)).toEpochMilli());
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The event time in the raw text, or empty when absent or unreadable. */
    public static OptionalLong of(DeadLetter deadLetter) {
        if (deadLetter.raw == null) {
            return OptionalLong.empty();
        }
        Matcher m = EVENT_TIME.matcher(deadLetter.raw);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        if (m.group(2) != null) {
            return OptionalLong.of(Long.parseLong(m.group(2)));
        }
        try {
            return OptionalLong.of(
                    OffsetDateTime.parse(m.group(1), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant()
                            .toEpochMilli());
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether a split's {@code currentWatermark} can give a dead letter its time: not before the
     * first watermark ({@link Long#MIN_VALUE}), when nothing the stream said can vouch for a time,
     * nor after the last ({@link Long#MAX_VALUE}: the end of input, beyond every window).
     */
    public static boolean canPlace(long currentWatermark) {
        return currentWatermark != Long.MIN_VALUE && currentWatermark != Long.MAX_VALUE;
    }

    /**
     * The timestamp a dead letter gets in the stream, given its split's current watermark (one that
     * {@link #canPlace}): its event time kept between the watermark + 1 (so that it is never late
     * and never dropped by a window) and {@code maxAhead} after it (so that a bogus future time
     * cannot hold a window open); without a readable event time, the watermark + 1. A {@code
     * time_out_of_range} dead letter was rejected because its event time is not believed, so it is
     * counted at the reference time its reason names (the stream's event time, or the clock, when
     * it was rejected), in the window of the traffic around it: the same window in every run, where
     * the watermark, which trails the stream by a pace-dependent interval, would not be; without a
     * reference, at the watermark. Never the time it was received: in a replay that is today, hours
     * or years from the data, and a window there would count nothing but dead letters.
     */
    public static long timestamp(DeadLetter deadLetter, long currentWatermark, long maxAhead) {
        return place(time(deadLetter), currentWatermark, maxAhead);
    }

    /**
     * The time a dead letter claims, as {@link #timestamp} reads it: the reference of a {@code
     * time_out_of_range} one, else the event time in its raw text; empty when it claims none.
     */
    public static OptionalLong time(DeadLetter deadLetter) {
        boolean timeRejected =
                DeadLetter.Reason.TIME_OUT_OF_RANGE.category().equals(deadLetter.category);
        return timeRejected ? reference(deadLetter) : of(deadLetter);
    }

    /** {@link #timestamp} of a dead letter that claims {@code time} (from {@link #time}). */
    public static long place(OptionalLong time, long currentWatermark, long maxAhead) {
        if (!canPlace(currentWatermark)) {
            throw new IllegalArgumentException(
                    "no event time to give a dead letter at watermark " + currentWatermark);
        }
        long floor = currentWatermark + 1;
        if (!time.isPresent()) {
            return floor;
        }
        return Math.max(floor, Math.min(time.getAsLong(), floor + maxAhead));
    }
}
