package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The trailing availability ring against shares counted by hand. */
class AvailabilityWindowsTest {

    @Test
    void shareOfAvailableWindowsAmongWindowsWithTraffic() {
        AvailabilityWindows w = new AvailabilityWindows(4);
        assertThat(w.availabilityPercent()).isNaN();
        w.record(10, true);
        w.record(11, false);
        w.record(12, true);
        // 2 of 3.
        assertThat(w.availabilityPercent()).isCloseTo(200.0 / 3, within(1e-12));
        w.record(13, true);
        w.record(14, true); // window 10 leaves the span: 11..14 = 3 of 4
        assertThat(w.availabilityPercent()).isCloseTo(75.0, within(1e-12));
    }

    @Test
    void windowsWithoutTrafficAreNotCountedAndOldWindowsAgeOut() {
        AvailabilityWindows w = new AvailabilityWindows(4);
        w.record(1, false);
        w.record(3, true); // window 2 had no traffic: 1 of 2
        assertThat(w.availabilityPercent()).isCloseTo(50.0, within(1e-12));
        w.record(5, true); // span 2..5: windows 3 and 5
        assertThat(w.availabilityPercent()).isCloseTo(100.0, within(1e-12));
        assertThat(w.windowsWithTraffic(5)).isEqualTo(2);
        assertThat(w.windowsWithTraffic(6)).isZero();
        w.record(100, false); // a long gap clears the ring
        assertThat(w.availabilityPercent()).isEqualTo(0.0);
        assertThat(w.windowsWithTraffic(100)).isEqualTo(1);
        w.record(96, true); // older than the span: ignored
        assertThat(w.availabilityPercent()).isEqualTo(0.0);
        w.record(98, true); // late but within the span
        assertThat(w.availabilityPercent()).isCloseTo(50.0, within(1e-12));
    }

    @Test
    void theHistoryKeepsTheSpanOfEveryWindowACorrectionCanReach() {
        // Span 3, history 2: windows 10..14 held, availability of 12..14 over their own spans.
        AvailabilityWindows w = new AvailabilityWindows(3, 2);
        w.record(10, false);
        w.record(11, true);
        w.record(12, true);
        w.record(13, true);
        w.record(14, true);
        assertThat(w.availabilityPercent(12)).isCloseTo(200.0 / 3, within(1e-12)); // 10..12
        assertThat(w.availabilityPercent(13)).isEqualTo(100.0); // 11..13
        assertThat(w.availabilityPercent()).isEqualTo(100.0); // 14: 12..14
        // 11's span would reach before the ring.
        assertThat(w.availabilityPercent(11)).isNaN();

        // A correction of 12 replaces it: 12..14 is now 2 of 3, not 3 of 4.
        assertThat(w.record(12, false)).isTrue();
        assertThat(w.availabilityPercent(14)).isCloseTo(200.0 / 3, within(1e-12));
        assertThat(w.hadTraffic(12)).isTrue();
        // Older than the ring: ignored.
        assertThat(w.record(9, false)).isFalse();
    }
}
