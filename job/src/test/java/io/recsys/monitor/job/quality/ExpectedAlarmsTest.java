package io.recsys.monitor.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.job.generator.Scenario;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every scenario expects at least one incident kind, and only kinds the default alarms have. */
class ExpectedAlarmsTest {
    @Test
    void everyScenarioExpectsKindsOfTheDefaultAlarms() {
        Set<String> catalogueKinds =
                new HashSet<>(AlarmQualityBenchmark.alarmKinds(AlarmCatalog.defaults()).values());
        for (Scenario.Kind scenario : Scenario.Kind.values()) {
            assertThat(ExpectedAlarms.of(scenario)).as(scenario.configName()).isNotEmpty();
            assertThat(catalogueKinds)
                    .as(scenario.configName())
                    .containsAll(ExpectedAlarms.of(scenario));
        }
    }

    @Test
    void everyScenarioHasAPlanWithCleanHoursAroundItsProblem() {
        Set<Scenario.Kind> planned = new HashSet<>();
        for (ScenarioPlan plan : ScenarioPlan.defaults(0, ScenarioPlan.CTR_DROP_HOURS)) {
            planned.add(plan.kind());
            long start = 0;
            assertThat(plan.problemStart(start)).isPositive();
            assertThat(plan.trafficEnd(start)).isGreaterThan(plan.problemEnd(start));
            assertThat(plan.generatorEntry(start))
                    .isEqualTo(Scenario.parse(plan.generatorEntry(start)).toString());
        }
        // The shifts have their sizes and plans in the drift-quality benchmark.
        assertThat(planned)
                .containsExactlyInAnyOrder(
                        java.util.Arrays.stream(Scenario.Kind.values())
                                .filter(k -> !k.isShift())
                                .toArray(Scenario.Kind[]::new));
    }
}
