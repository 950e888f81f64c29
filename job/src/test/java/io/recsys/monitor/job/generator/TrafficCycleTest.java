package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The daily and weekly multipliers, and the simulator that follows them. */
class TrafficCycleTest {
    private static final long HOUR = 3_600_000L;
    // A Thursday.
    private static final long THURSDAY = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long SATURDAY = THURSDAY + 2 * 24 * HOUR;

    private static final TrafficCycle CYCLE = new TrafficCycle(0.5, 0.15, 0.1, 0.05, 0.1);

    @Test
    void peakAtSixInTheEveningTroughAtSixInTheMorning() {
        assertThat(CYCLE.volume(THURSDAY + 18 * HOUR)).isEqualTo(1.5, within(1e-12));
        assertThat(CYCLE.volume(THURSDAY + 6 * HOUR)).isEqualTo(0.5, within(1e-12));
        assertThat(CYCLE.clicks(THURSDAY + 18 * HOUR)).isEqualTo(1.15, within(1e-12));
        assertThat(CYCLE.clicks(THURSDAY + 6 * HOUR)).isEqualTo(0.85, within(1e-12));
        assertThat(CYCLE.purchases(THURSDAY + 12 * HOUR)).isEqualTo(1.0, within(1e-12));
        assertThat(CYCLE.orderValue(THURSDAY + 6 * HOUR)).isEqualTo(0.95, within(1e-12));
    }

    @Test
    void weekendsAreQuieter() {
        assertThat(CYCLE.volume(SATURDAY + 18 * HOUR)).isEqualTo(1.5 * 0.9, within(1e-12));
        assertThat(CYCLE.clicks(SATURDAY + 18 * HOUR)).isEqualTo(1.15 * 0.95, within(1e-12));
        // Monday is a weekday again.
        assertThat(CYCLE.volume(SATURDAY + 2 * 24 * HOUR + 18 * HOUR))
                .isEqualTo(1.5, within(1e-12));
    }

    @Test
    void flatIsExactlyOne() {
        for (long t = THURSDAY; t < THURSDAY + 7 * 24 * HOUR; t += 1_234_567L) {
            assertThat(TrafficCycle.FLAT.volume(t)).isEqualTo(1.0);
            assertThat(TrafficCycle.FLAT.clicks(t)).isEqualTo(1.0);
            assertThat(TrafficCycle.FLAT.purchases(t)).isEqualTo(1.0);
            assertThat(TrafficCycle.FLAT.orderValue(t)).isEqualTo(1.0);
        }
        assertThat(
                        TrafficSimulatorTest.settings("generator.traffic-cycles", "flat")
                                .cycle()
                                .isFlat())
                .isTrue();
    }

    @Test
    void theSimulatorsEveningHasMoreRequestsAndAHigherClickThroughRateThanItsMorning() {
        TrafficSimulator sim =
                new TrafficSimulator(
                        TrafficSimulatorTest.settings(
                                "generator.traffic-cycles",
                                "daily-weekly",
                                "generator.requests-per-second",
                                "2"));
        TrafficStats[] hours = new TrafficStats[24];
        for (int h = 0; h < 24; h++) {
            hours[h] = new TrafficStats();
        }
        while (true) {
            GeneratedEvent e = sim.next();
            if (e.eventTime >= THURSDAY + 24 * HOUR) {
                break;
            }
            hours[(int) ((e.eventTime - THURSDAY) / HOUR)].add(e.json);
        }
        // 2 requests/s: 7,200 an hour on average; with the default volume amplitude 0.3 about
        // x1.3 in the hour from 18:00 (9,335) and x0.7 from 06:00 (5,065); Poisson noise is
        // about 1 %.
        assertThat(hours[18].predictions).isBetween(8_950L, 9_700L);
        assertThat(hours[6].predictions).isBetween(4_850L, 5_300L);
        double evening = hours[18].ctr();
        double morning = hours[6].ctr();
        // 3.5 % x 1.15 = 4.0 % and 3.5 % x 0.85 = 3.0 %, within sampling noise.
        assertThat(evening).isBetween(0.037, 0.044);
        assertThat(morning).isBetween(0.027, 0.033);
    }
}
