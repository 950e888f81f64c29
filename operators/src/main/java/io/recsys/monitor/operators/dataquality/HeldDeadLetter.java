package io.recsys.monitor.operators.dataquality;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.DeadLetterEventTime;
import java.util.OptionalLong;

/**
 * A dead letter held for its split's first watermark ({@link DeadLetterTimestamps}), as operator
 * state: what the data quality counting reads of it (category, reason, source, a bounded part of
 * the raw text) and the time it claims, read before the text was cut. A Flink POJO.
 */
public class HeldDeadLetter {
    /** {@link #claimedTime} when the dead letter claims no time. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Characters of raw text kept: the counting reads only category and reason. */
    static final int RAW_CHARS = 256;

    public DeadLetter deadLetter;

    /** {@link DeadLetterEventTime#time}, or {@link #NO_TIME}. */
    public long claimedTime;

    public HeldDeadLetter() {}

    public HeldDeadLetter(DeadLetter deadLetter, long claimedTime) {
        this.deadLetter = deadLetter;
        this.claimedTime = claimedTime;
    }

    /** The held form of {@code d}: its claimed time, and at most {@link #RAW_CHARS} of raw text. */
    public static HeldDeadLetter of(DeadLetter d) {
        DeadLetter kept = new DeadLetter();
        kept.category = d.category;
        kept.reason = d.reason;
        kept.raw =
                d.raw == null || d.raw.length() <= RAW_CHARS
                        ? d.raw
                        : d.raw.substring(0, RAW_CHARS);
        kept.source = d.source;
        kept.receivedAt = d.receivedAt;
        return new HeldDeadLetter(kept, DeadLetterEventTime.time(d).orElse(NO_TIME));
    }

    /** The time the dead letter claims, or empty. */
    public OptionalLong claimed() {
        return claimedTime == NO_TIME ? OptionalLong.empty() : OptionalLong.of(claimedTime);
    }
}
