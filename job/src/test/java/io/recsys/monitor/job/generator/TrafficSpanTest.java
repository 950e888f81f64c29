package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A span holds every request before its end with all their feedback, and nothing of later requests;
 * the source's lines are exactly those, in the simulator's order.
 */
class TrafficSpanTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long END = T0 + 10 * 60_000L;

    private final GeneratorSettings settings =
            GeneratorSettings.fromConfig(
                    MonitorConfig.defaults()
                            .with("generator.requests-per-second", "5")
                            .with("generator.malformed-share", "0.01")
                            .with("generator.start-time", Instant.ofEpochMilli(T0).toString()));

    @Test
    void spanHoldsTheRequestsBeforeItsEndAndAllTheirFeedback() throws Exception {
        TrafficSpan span = TrafficSpan.measure(settings, END);

        // The same cut made by hand from the simulator's events.
        TrafficSimulator simulator = new TrafficSimulator(settings);
        List<String> expected = new ArrayList<>();
        long requests = 0;
        long feedbackAfterEnd = 0;
        long malformed = 0;
        while (true) {
            GeneratedEvent e = simulator.next();
            if (e.eventTime > END + TrafficSimulator.MAX_FEEDBACK_DELAY_MILLIS) {
                break;
            }
            boolean requestBeforeEnd;
            if (e.feedback) {
                requestBeforeEnd = e.requestSeq < requests;
            } else {
                requestBeforeEnd = e.eventTime < END;
                if (requestBeforeEnd) {
                    requests++;
                }
            }
            if (requestBeforeEnd) {
                expected.add(e.json);
                feedbackAfterEnd += e.feedback && e.eventTime >= END ? 1 : 0;
                malformed += e.malformed ? 1 : 0;
            }
        }

        assertThat(span.requests()).isEqualTo(requests).isBetween(2_700L, 3_300L);
        assertThat(span.events()).isEqualTo(expected.size());
        assertThat(span.malformed()).isEqualTo(malformed).isPositive();
        assertThat(feedbackAfterEnd).as("late feedback of the last requests").isPositive();
        assertThat(span.lastEventTime()).isGreaterThan(END);

        TrafficSpan.SpanLines lines = new TrafficSpan.SpanLines(settings, span.requests());
        lines.open(null);
        List<String> generated = new ArrayList<>();
        for (long i = 0; i < span.events(); i++) {
            generated.add(lines.map(i));
        }
        assertThat(generated).isEqualTo(expected);
    }

    @Test
    void theSourceIsReadFromItsStartInOrder() throws Exception {
        TrafficSpan span = TrafficSpan.measure(settings, END);
        TrafficSpan.SpanLines lines = new TrafficSpan.SpanLines(settings, span.requests());
        lines.open(null);
        lines.map(0L);
        assertThatThrownBy(() -> lines.map(5L)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSpanWithoutRequestsIsRefused() {
        assertThatThrownBy(() -> TrafficSpan.measure(settings, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
