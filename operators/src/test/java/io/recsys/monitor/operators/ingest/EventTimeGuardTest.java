package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link EventTimeGuard}, on events named by their event time. */
class EventTimeGuardTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR_9999 = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli();
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** Decisions as text: "+name" accepted, "-name" rejected, in order; reasons kept apart. */
    private static final class Recorder implements EventTimeGuard.Decisions<String> {
        final List<String> decisions = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void accept(String event) {
            decisions.add("+" + event);
        }

        @Override
        public void reject(String event, String reason) {
            decisions.add("-" + event);
            reasons.add(reason);
        }
    }

    private final Recorder out = new Recorder();

    /** Offers "name@time" for each event, with the times given. */
    private static void offer(EventTimeGuard<String> guard, Recorder out, String name, long t) {
        guard.offer(name, t, out);
    }

    /** n events named prefix0.. one second apart from {@code start}. */
    private static void steady(
            EventTimeGuard<String> guard, Recorder out, String prefix, long start, int n) {
        for (int i = 0; i < n; i++) {
            offer(guard, out, prefix + i, start + i * SECOND);
        }
    }

    @Test
    void aSteadyStreamPassesAtOnceAfterTheFirstCorroboration() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 10, 10);
        steady(guard, out, "e", T0, 2);
        // Nothing to judge the first two by yet.
        assertThat(out.decisions).isEmpty();
        steady(guard, out, "f", T0 + 2 * SECOND, 3);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+f0", "+f1", "+f2");
        assertThat(guard.reference()).isEqualTo(T0 + 4 * SECOND);
        assertThat(guard.held()).isEmpty();
    }

    @Test
    void aLoneOutlierInTheMiddleIsHeldThenRejectedAfterPatience() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 4, 10);
        steady(guard, out, "e", T0, 3);
        offer(guard, out, "x", YEAR_9999);
        steady(guard, out, "f", T0 + 3 * SECOND, 3);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "+f0", "+f1", "+f2");
        assertThat(guard.held()).extracting(h -> h.event).containsExactly("x");
        offer(guard, out, "f3", T0 + 6 * SECOND);
        assertThat(out.decisions).endsWith("+f3", "-x");
        assertThat(out.reasons)
                .containsExactly(
                        "event_time 9999-12-31T00:00:00Z is more than 5min ahead of the stream's"
                                + " event time (reference 2026-01-01T00:00:06Z) and no 2 of the"
                                + " next 4 events came near it");
        assertThat(guard.reference()).isEqualTo(T0 + 6 * SECOND);
    }

    @Test
    void aProducerOneDayAheadIsRejectedLikeAnyOutlier() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 4, 10);
        steady(guard, out, "e", T0, 3);
        offer(guard, out, "x", T0 + DAY);
        steady(guard, out, "f", T0 + 3 * SECOND, 4);
        assertThat(out.decisions).contains("-x").doesNotContain("+x");
        assertThat(guard.reference()).isEqualTo(T0 + 6 * SECOND);
    }

    @Test
    void aLoneOutlierAtTheStartDoesNotBecomeTheReference() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        offer(guard, out, "x", YEAR_9999);
        steady(guard, out, "e", T0, 3);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2");
        assertThat(guard.reference()).isEqualTo(T0 + 2 * SECOND);
        guard.endOfInput(out);
        assertThat(out.decisions).endsWith("-x");
    }

    @Test
    void aLoneOutlierAtTheEndIsRejectedWhenTheInputEnds() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        steady(guard, out, "e", T0, 3);
        offer(guard, out, "x", T0 + DAY);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2");
        guard.endOfInput(out);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "-x");
        assertThat(out.reasons.get(0))
                .isEqualTo(
                        "event_time 2026-01-02T00:00:00Z is more than 5min ahead of the stream's"
                                + " event time (reference 2026-01-01T00:00:02Z) and the input"
                                + " ended before 2 later events came near it");
        assertThat(guard.held()).isEmpty();
    }

    @Test
    void trafficAfterAGapIsReleasedInOrderOnceCorroborated() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        steady(guard, out, "e", T0, 3);
        // Five hours without events, then traffic again.
        offer(guard, out, "g0", T0 + 5 * HOUR);
        offer(guard, out, "g1", T0 + 5 * HOUR + SECOND);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2");
        offer(guard, out, "g2", T0 + 5 * HOUR + 2 * SECOND);
        offer(guard, out, "g3", T0 + 5 * HOUR + 3 * SECOND);
        guard.endOfInput(out);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "+g0", "+g1", "+g2", "+g3");
        assertThat(out.reasons).isEmpty();
        assertThat(guard.reference()).isEqualTo(T0 + 5 * HOUR + 3 * SECOND);
    }

    @Test
    void anEventDated1970HeldAtTheStartIsReleasedAsLateNotMadeTheReference() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        offer(guard, out, "old", 0);
        steady(guard, out, "e", T0, 3);
        assertThat(out.decisions).containsExactly("+old", "+e0", "+e1", "+e2");
        assertThat(guard.reference()).isEqualTo(T0 + 2 * SECOND);
        // In the middle, it passes at once: windows decide what a late event may change.
        offer(guard, out, "old2", 0);
        assertThat(out.decisions).endsWith("+old2");
    }

    @Test
    void anEventJustBeyondTheSkewIsReleasedWhenTheStreamCatchesUp() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        steady(guard, out, "e", T0, 3);
        offer(guard, out, "early", T0 + 2 * SECOND + 6 * MINUTE);
        offer(guard, out, "f", T0 + 2 * MINUTE);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "+f", "+early");
    }

    @Test
    void aChainOfReleasesKeepsTheInputOrder() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        steady(guard, out, "e", T0, 3);
        long r = T0 + 2 * SECOND;
        offer(guard, out, "a", r + 8 * MINUTE);
        offer(guard, out, "b", r + 6 * MINUTE);
        assertThat(guard.held()).hasSize(2);
        // c moves the reference to r + 2 min: b comes within reach, and through b, a.
        offer(guard, out, "c", r + 2 * MINUTE);
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "+c", "+a", "+b");
        assertThat(guard.reference()).isEqualTo(r + 8 * MINUTE);
    }

    @Test
    void theBufferIsBoundedAndTheOldestHeldEventGoesFirst() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 1000, 2);
        steady(guard, out, "e", T0, 3);
        // Three outliers, each far behind the one before: none supports another.
        offer(guard, out, "x1", T0 + 30 * DAY);
        offer(guard, out, "x2", T0 + 20 * DAY);
        assertThat(guard.held()).hasSize(2);
        offer(guard, out, "x3", T0 + 10 * DAY);
        assertThat(guard.held()).extracting(h -> h.event).containsExactly("x2", "x3");
        assertThat(out.decisions).containsExactly("+e0", "+e1", "+e2", "-x1");
        assertThat(out.reasons.get(0)).endsWith("and more than 2 were held");
    }

    @Test
    void withoutAReferenceAtTheEndWhatIsHeldIsReleased() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 100, 100);
        offer(guard, out, "a", T0);
        offer(guard, out, "b", T0 + DAY);
        guard.endOfInput(out);
        assertThat(out.decisions).containsExactly("+a", "+b");
    }

    @Test
    void restoringTheSnapshotGivesTheSameDecisions() {
        EventTimeGuard<String> guard = new EventTimeGuard<>(SKEW, 3, 4, 10);
        steady(guard, out, "e", T0, 3);
        offer(guard, out, "x", YEAR_9999);
        offer(guard, out, "f0", T0 + 3 * SECOND);

        EventTimeGuard<String> restored = new EventTimeGuard<>(SKEW, 3, 4, 10);
        List<EventTimeGuard.Held<String>> copy = new ArrayList<>();
        for (EventTimeGuard.Held<String> h : guard.held()) {
            copy.add(new EventTimeGuard.Held<>(h.event, h.eventTime, h.support, h.waited));
        }
        restored.restore(guard.reference(), copy);
        Recorder again = new Recorder();
        steady(guard, out, "g", T0 + 4 * SECOND, 3);
        steady(restored, again, "g", T0 + 4 * SECOND, 3);
        assertThat(again.decisions).containsExactly("+g0", "+g1", "+g2", "-x");
        assertThat(out.decisions).endsWith(again.decisions.toArray(new String[0]));
    }

    @Test
    void theLiveRuleComparesWithTheClock() {
        long now = T0;
        assertThat(EventTimeGuard.aheadOfClock(now + 5 * MINUTE, now, SKEW)).isNull();
        assertThat(EventTimeGuard.aheadOfClock(now - DAY, now, SKEW)).isNull();
        assertThat(EventTimeGuard.aheadOfClock(now + 5 * MINUTE + 1, now, SKEW))
                .isEqualTo(
                        "event_time 2026-01-01T00:05:00.001Z is more than 5min ahead of the clock"
                                + " (reference 2026-01-01T00:00:00Z)");
        assertThat(EventTimeGuard.aheadOfClock(YEAR_9999, now, SKEW)).isNotNull();
    }
}
