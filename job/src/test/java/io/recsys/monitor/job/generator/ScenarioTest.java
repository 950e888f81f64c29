package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.ConfigException;
import io.recsys.monitor.config.MonitorConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void parsesNameAlone() {
        Scenario s = Scenario.parse("error-burst");
        assertThat(s.kind()).isEqualTo(Scenario.Kind.ERROR_BURST);
        assertThat(s.startMillis()).isEqualTo(Scenario.FROM_THE_START);
        assertThat(s.isActiveAt(Long.MIN_VALUE)).isTrue();
        assertThat(s).hasToString("error-burst");
    }

    @Test
    void parsesNameWithStartTime() {
        Scenario s = Scenario.parse(" latency-spike@2026-01-01T01:30:00+01:00 ");
        long start = Instant.parse("2026-01-01T00:30:00Z").toEpochMilli();
        assertThat(s.kind()).isEqualTo(Scenario.Kind.LATENCY_SPIKE);
        assertThat(s.startMillis()).isEqualTo(start);
        assertThat(s.isActiveAt(start - 1)).isFalse();
        assertThat(s.isActiveAt(start)).isTrue();
        assertThat(Scenario.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void everyKindParsesByItsName() {
        for (Scenario.Kind kind : Scenario.Kind.values()) {
            if (!kind.isShift()) {
                assertThat(Scenario.parse(kind.configName()).kind()).isEqualTo(kind);
            }
        }
    }

    @Test
    void rejectsUnknownNameNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> Scenario.parse("ctr-crash"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctr-crash")
                .hasMessageContaining(
                        "feature-drift, ctr-drop, latency-spike, error-burst, malformed-events");
        assertThatThrownBy(() -> Scenario.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBadTimeNamingTheFormat() {
        assertThatThrownBy(() -> Scenario.parse("ctr-drop@tomorrow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tomorrow")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Scenario.parse("ctr-drop@2026-01-01T00:00:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-01-01T00:30:00Z");
    }

    @Test
    void configurationWithBadScenarioNamesTheKey() {
        MonitorConfig config =
                MonitorConfig.defaults().with("generator.scenarios", "ctr-drop,nope");
        assertThatThrownBy(() -> GeneratorSettings.fromConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.scenarios")
                .hasMessageContaining("nope")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
