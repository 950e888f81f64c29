package io.recsys.monitor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The event time of a dead letter, read from its raw text and kept on time for the windows. */
class DeadLetterEventTimeTest {

    private static DeadLetter raw(String raw, long receivedAt) {
        return new DeadLetter(DeadLetter.Reason.INVALID_JSON, "x", raw, "test", receivedAt);
    }

    @Test
    void readsIsoAndEpochTimesFromTheRawText() {
        assertThat(
                        DeadLetterEventTime.of(
                                raw("{\"event_time\":\"2026-01-01T00:00:01.250Z\",\"x\"", 0)))
                .hasValue(1_767_225_601_250L);
        assertThat(DeadLetterEventTime.of(raw("{\"a\":1, \"event_time\" : 1767225601250,", 0)))
                .hasValue(1_767_225_601_250L);
        assertThat(DeadLetterEventTime.of(raw("{\"event_time\":\"yesterday\"}", 0))).isEmpty();
        assertThat(DeadLetterEventTime.of(raw("{\"event_time\":17672", 0))).isEmpty();
        assertThat(DeadLetterEventTime.of(raw("not json", 0))).isEmpty();
    }

    @Test
    void timestampStaysBetweenTheWatermarkAndTheAllowedLead() {
        DeadLetter at5000 = raw("{\"event_time\":5000,", 99_999);
        DeadLetter noTime = raw("{", 99_999);
        // Before any watermark, or after the last: no time to give (the operator holds them),
        // never the time received (99 999).
        assertThat(DeadLetterEventTime.canPlace(Long.MIN_VALUE)).isFalse();
        assertThat(DeadLetterEventTime.canPlace(Long.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> DeadLetterEventTime.timestamp(noTime, Long.MIN_VALUE, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterEventTime.timestamp(at5000, Long.MAX_VALUE, 100))
                .isInstanceOf(IllegalArgumentException.class);
        // Behind the watermark: moved just after it, so that no window drops it.
        assertThat(DeadLetterEventTime.timestamp(at5000, 7000, 100)).isEqualTo(7001);
        assertThat(DeadLetterEventTime.timestamp(noTime, 7000, 100)).isEqualTo(7001);
        // Ahead: kept, up to the allowed lead.
        assertThat(DeadLetterEventTime.timestamp(at5000, 4950, 100)).isEqualTo(5000);
        assertThat(DeadLetterEventTime.timestamp(at5000, 1000, 100)).isEqualTo(1101);
    }

    @Test
    void aTimeOutOfRangeIsCountedAtItsReferenceNeverAtItsOwnTime() {
        long reference = 1_767_225_601_250L;
        DeadLetter outOfRange =
                new DeadLetter(
                        DeadLetter.Reason.TIME_OUT_OF_RANGE,
                        "event_time 9999-12-31T00:00:00Z is more than 5min ahead of the stream's"
                                + " event time (reference 2026-01-01T00:00:01.250Z) and no 2 of the"
                                + " next 256 events came near it",
                        "{\"event_time\":\"9999-12-31T00:00:00Z\",",
                        "test",
                        99_999);
        // Its own time is the one nobody believes: the stream's time when it was rejected, where
        // a watermark trailing it by a pace-dependent interval would not be the same every run.
        assertThat(DeadLetterEventTime.timestamp(outOfRange, reference - 60_000, 120_000))
                .isEqualTo(reference);
        assertThat(DeadLetterEventTime.time(outOfRange)).hasValue(reference);
        // Never late: behind the watermark, just after it.
        assertThat(DeadLetterEventTime.timestamp(outOfRange, reference + 5, 100))
                .isEqualTo(reference + 6);
        // Without a reference: at the watermark.
        outOfRange.reason = "event_time 9999-12-31T00:00:00Z was never confirmed by the stream";
        assertThat(DeadLetterEventTime.time(outOfRange)).isEmpty();
        assertThat(DeadLetterEventTime.timestamp(outOfRange, 7000, 100)).isEqualTo(7001);
    }
}
