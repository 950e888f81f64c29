package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scenario with an end: {@code NAME@START/END}, active from START (inclusive) to END. */
class ScenarioEndTest {
    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void parsesStartAndEnd() {
        Scenario s = Scenario.parse("ctr-drop@2026-01-01T03:00:00Z/2026-01-01T08:00:00Z");
        assertThat(s.kind()).isEqualTo(Scenario.Kind.CTR_DROP);
        assertThat(s.startMillis()).isEqualTo(t("2026-01-01T03:00:00Z"));
        assertThat(s.endMillis()).isEqualTo(t("2026-01-01T08:00:00Z"));
        assertThat(s.isActiveAt(t("2026-01-01T02:59:59.999Z"))).isFalse();
        assertThat(s.isActiveAt(t("2026-01-01T03:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(t("2026-01-01T07:59:59.999Z"))).isTrue();
        assertThat(s.isActiveAt(t("2026-01-01T08:00:00Z"))).isFalse();
        assertThat(Scenario.parse(s.toString())).isEqualTo(s);
        assertThat(Scenario.parse("ctr-drop@2026-01-01T03:00:00Z").endMillis())
                .isEqualTo(Scenario.TO_THE_END);
    }

    @Test
    void anEndBeforeTheStartIsRejected() {
        assertThatThrownBy(
                        () -> Scenario.parse("ctr-drop@2026-01-01T08:00:00Z/2026-01-01T03:00:00Z"))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> Scenario.parse("ctr-drop@2026-01-01T03:00:00Z/soon"))
                .hasMessageContaining("NAME@START/END");
    }

    @Test
    void theTrafficIsFaultyOnlyWithinTheScenario() {
        // Latency x5 between 01:00 and 02:00 only: the mean latency of each hour shows it.
        MonitorConfig config =
                MonitorConfig.of(
                        Map.of(
                                "generator.requests-per-second",
                                "2",
                                "generator.scenarios",
                                "latency-spike@2026-01-01T01:00:00Z/2026-01-01T02:00:00Z"));
        TrafficSimulator traffic = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        double[] sum = new double[3];
        int[] n = new int[3];
        java.util.regex.Pattern latency =
                java.util.regex.Pattern.compile("\"latency_ms\":([0-9.]+)");
        long t0 = t("2026-01-01T00:00:00Z");
        for (GeneratedEvent e = traffic.next();
                e.eventTime < t0 + 3 * 3_600_000L;
                e = traffic.next()) {
            java.util.regex.Matcher m = latency.matcher(e.json);
            if (!e.feedback && m.find()) {
                int hour = (int) ((e.eventTime - t0) / 3_600_000L);
                sum[hour] += Double.parseDouble(m.group(1));
                n[hour]++;
            }
        }
        double before = sum[0] / n[0];
        double during = sum[1] / n[1];
        double after = sum[2] / n[2];
        assertThat(during / before).isBetween(4.0, 6.0);
        assertThat(after / before).isBetween(0.8, 1.25);
    }
}
