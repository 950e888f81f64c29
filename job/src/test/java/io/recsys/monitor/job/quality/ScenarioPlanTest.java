package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.generator.Scenario;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CTR drops start at the stated hours of the day, each after the 3 days of clean
 * history the seasonal band needs, so that a night-time drop is judged against earlier nights.
 */
class ScenarioPlanTest {
    private static final long DEFAULT_START =
            MonitorConfig.defaults().get(Settings.GENERATOR_START_TIME).toEpochMilli();

    @Test
    void theCtrDropsStartAtTheirHoursAfterThreeDaysOfHistory() {
        List<ScenarioPlan> drops = ctrDrops(DEFAULT_START, List.of(0, 6, 12, 18));

        assertThat(drops)
                .extracting(ScenarioPlan::name)
                .containsExactly(
                        "ctr-drop 00:00", "ctr-drop 06:00", "ctr-drop 12:00", "ctr-drop 18:00");
        assertThat(drops.stream().map(p -> hourOfDay(p.problemStart(DEFAULT_START))))
                .containsExactly(0, 6, 12, 18);
        for (ScenarioPlan drop : drops) {
            long history = drop.problemStart(DEFAULT_START) - DEFAULT_START;
            assertThat(history)
                    .as(drop.name())
                    .isGreaterThanOrEqualTo(3 * 24 * ScenarioPlan.HOUR_MILLIS)
                    .isLessThan(4 * 24 * ScenarioPlan.HOUR_MILLIS);
            assertThat(drop.problemEnd(DEFAULT_START) - drop.problemStart(DEFAULT_START))
                    .isEqualTo(4 * ScenarioPlan.HOUR_MILLIS);
            assertThat(drop.trafficEnd(DEFAULT_START) - drop.problemEnd(DEFAULT_START))
                    .isEqualTo(4 * ScenarioPlan.HOUR_MILLIS);
            assertThat(drop.requestsPerSecond()).isBetween(1.0, 5.0);
            assertThat(Scenario.parse(drop.generatorEntry(DEFAULT_START)).toString())
                    .isEqualTo(drop.generatorEntry(DEFAULT_START));
        }
    }

    @Test
    void aStartAtAnotherHourStillDropsAtTheStatedHour() {
        long start = Instant.parse("2026-03-10T15:00:00Z").toEpochMilli();
        for (ScenarioPlan drop : ctrDrops(start, List.of(0, 6, 14, 15, 16, 23))) {
            long problemStart = drop.problemStart(start);
            assertThat(drop.name()).endsWith(String.format("%02d:00", hourOfDay(problemStart)));
            assertThat(problemStart - start)
                    .as(drop.name())
                    .isBetween(72 * ScenarioPlan.HOUR_MILLIS, 95 * ScenarioPlan.HOUR_MILLIS);
        }
    }

    @Test
    void theOtherScenariosKeepOnePlanEach() {
        List<ScenarioPlan> plans = ScenarioPlan.defaults(DEFAULT_START, List.of(3, 21));
        assertThat(plans)
                .extracting(ScenarioPlan::name)
                .containsExactly(
                        "feature-drift",
                        "ctr-drop 03:00",
                        "ctr-drop 21:00",
                        "latency-spike",
                        "error-burst",
                        "malformed-events");
    }

    @Test
    void anHourOutsideTheDayIsRefused() {
        assertThatThrownBy(() -> ScenarioPlan.ctrDropAt(24, DEFAULT_START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 23");
    }

    private static List<ScenarioPlan> ctrDrops(long start, List<Integer> hours) {
        return ScenarioPlan.defaults(start, hours).stream()
                .filter(p -> p.kind() == Scenario.Kind.CTR_DROP)
                .collect(Collectors.toList());
    }

    private static int hourOfDay(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).getHour();
    }
}
