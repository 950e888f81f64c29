package io.recsys.monitor.model;

import java.util.Objects;

/**
 * An input that could not be used, kept with the reason so that nobody has to guess: the raw text
 * (truncated to a configured length), where it came from and when it was received.
 */
public class DeadLetter {
    /** A short, stable class of the problem, usable as a metric dimension (see {@link Reason}). */
    public String category;

    /** The full human-readable reason, e.g. "missing required field 'request_id'". */
    public String reason;

    /** The input as text, cut after a configured number of characters. */
    public String raw;

    /**
     * Base64 of the input's bytes when they were not valid UTF-8, so that what a producer really
     * sent stays recoverable although {@link #raw} shows U+FFFD for it; {@code null} otherwise. It
     * covers at most as many bytes as {@link #raw} keeps characters.
     */
    public String rawBase64;

    /** Which source produced it: generator, file:PATH, kinesis:STREAM. */
    public String source;

    /** Processing time at which it was rejected, epoch milliseconds. */
    public long receivedAt;

    /** The classes of rejection. */
    public enum Reason {
        INVALID_JSON,
        MISSING_FIELD,
        WRONG_TYPE,
        INVALID_VALUE,
        LIMIT_EXCEEDED,
        UNKNOWN_EVENT_TYPE,
        /**
         * A valid event whose event time lies too far ahead of the clock or of the stream to be
         * believed (see {@code EventTimeGuard}); it would otherwise move the watermark.
         */
        TIME_OUT_OF_RANGE,
        /** A result (metric point, alert) that a sink's service rejected for good. */
        REJECTED_BY_SINK;

        public String category() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public DeadLetter() {}

    public DeadLetter(Reason category, String reason, String raw, String source, long receivedAt) {
        this.category = category.category();
        this.reason = reason;
        this.raw = raw;
        this.source = source;
        this.receivedAt = receivedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return receivedAt == that.receivedAt
                && Objects.equals(category, that.category)
                && Objects.equals(reason, that.reason)
                && Objects.equals(raw, that.raw)
                && Objects.equals(rawBase64, that.rawBase64)
                && Objects.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, reason, raw, rawBase64, source, receivedAt);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + category + ": " + reason + ", source=" + source + "}";
    }
}
