package io.recsys.monitor.operators.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.AlarmCatalog;
import io.recsys.monitor.config.ConfigException;
import org.junit.jupiter.api.Test;

class KnownMetricsTest {
    @Test
    void everyDefaultAlarmWatchesAKnownMetricAndHasAPlaybook() {
        KnownMetrics.check(AlarmCatalog.defaults());
        for (var d : AlarmCatalog.defaults().alarms()) {
            assertThat(Playbooks.kinds()).as(d.name()).contains(d.kind());
        }
    }

    @Test
    void anUnknownMetricStopsStartUpNamingTheAlarm() {
        AlarmCatalog c =
                AlarmCatalog.fromConfig(
                        "[{name: typo-alarm, metric: CRT, comparison: '<', critical-threshold: 1}]",
                        "");
        assertThatThrownBy(() -> KnownMetrics.check(c))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Alarm 'typo-alarm': unknown metric 'CRT'")
                .hasMessageContaining("CTR");
        assertThat(KnownMetrics.isKnown("FeatureDrift_user_age")).isTrue();
        assertThat(KnownMetrics.isKnown("FeatureDrift_")).isFalse();
    }
}
