package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.MINUTE;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.Alert;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One incident per problem (issue 15): the whole job over six hours of generated traffic at the
 * generator's default 1 request/s, with the {@code error-burst} scenario (20 % of requests fail)
 * from 02:00 to 04:00. Before hysteresis and flap detection, {@code
 * recommendation-api-high-error-rate} (Errors &gt; 10 a minute, 2 of 2) was raised and resolved
 * dozens of times in such a burst: at 1 request/s a minute has 12 +- 3.5 errors, and about a third
 * of the minutes have at most 10.
 */
class ErrorBurstIncidentITCase {
    private static final long BURST_START = T0 + 2 * HOUR;
    private static final long BURST_END = T0 + 4 * HOUR;

    @RegisterExtension static final MiniClusterExtension CLUSTER = LocalReplay.miniCluster();

    @TempDir Path output;

    private List<Alert> run(MonitorConfig config, long hours) throws Exception {
        return LocalReplay.alertsOfGeneratedTraffic(
                "error-burst-incident", config, T0 + hours * HOUR, output);
    }

    private static MonitorConfig config(String alarms) {
        return MonitorConfig.of(
                Map.of(
                        // As AlarmScenarioITCase: a catalogue the traffic covers, enough purchases
                        // for the order-value KPIs; the rate stays the generator's default 1
                        // request/s.
                        "generator.catalogue-size",
                        "2000",
                        "generator.add-to-cart-rate",
                        "0.3",
                        "generator.purchase-rate",
                        "0.5",
                        "generator.scenarios",
                        "error-burst@2026-01-01T02:00:00Z/2026-01-01T04:00:00Z",
                        // Flat traffic: the notifications counted are per minute at 1 request/s.
                        "generator.traffic-cycles",
                        "flat",
                        "alarms",
                        alarms));
    }

    /**
     * The control: the same traffic with the Errors alarm as it was before hysteresis and flap
     * detection (ok-periods 1 resolves at the first window with fewer than 2 of 2 breaching, and
     * flap-transitions 0 switches flap detection off) is told far more than 3 times, so the test
     * above can fail.
     */
    @Test
    void withoutHysteresisTheSameBurstFlaps() throws Exception {
        List<Alert> alerts =
                run(
                        config(
                                "[{name: recommendation-api-high-error-rate, metric: Errors,"
                                        + " statistic: Sum, comparison: '>', critical-threshold: 10,"
                                        + " period: 60s, evaluation-periods: 2,"
                                        + " datapoints-to-alarm: 2, treat-missing-data: notBreaching,"
                                        + " ok-periods: 1, flap-transitions: 0}]"),
                        6);
        long told =
                alerts.stream()
                        .filter(a -> a.alarmName.equals("recommendation-api-high-error-rate"))
                        .count();
        System.out.println("error-burst at 1 request/s without hysteresis, Errors alerts: " + told);
        assertThat(told).isGreaterThan(10);
    }

    @Test
    void anErrorBurstIsOneIncidentPerAlarmAndSeries() throws Exception {
        MonitorConfig config = config("");
        List<Alert> alerts = run(config, 6);
        Map<String, List<Alert>> bySeries = AlertSummary.bySeries(alerts);
        Map<String, List<String>> told = new TreeMap<>();
        bySeries.forEach(
                (key, list) ->
                        told.put(
                                key,
                                list.stream()
                                        .map(a -> a.notification + "@" + (a.time - T0) / MINUTE)
                                        .collect(Collectors.toList())));
        System.out.println("error-burst at 1 request/s, notifications per series: " + told);

        // The burst's own alarms fire: the error count and the error rate.
        assertThat(bySeries).containsKeys("recommendation-api-high-error-rate/Errors{}");
        assertThat(bySeries.keySet())
                .anyMatch(k -> k.startsWith("recommendation-api-error-rate/ErrorRate{"));
        for (Map.Entry<String, List<Alert>> e : bySeries.entrySet()) {
            List<Alert> series = e.getValue();
            List<String> notifications =
                    series.stream().map(a -> a.notification).collect(Collectors.toList());
            String what = e.getKey() + " " + told.get(e.getKey());
            // At most 3 notifications per alarm and series, a flapping one included.
            assertThat(series).as(what).hasSizeLessThanOrEqualTo(3);
            // One raise (or one flapping alert that stands for it), first, within the burst.
            assertThat(notifications.get(0)).as(what).isIn("raised", "flapping");
            assertThat(series.get(0).time).as(what).isBetween(BURST_START, BURST_END);
            assertThat(notifications.stream().filter(n -> n.equals("raised")).count())
                    .as(what)
                    .isLessThanOrEqualTo(1);
            assertThat(notifications.stream().filter(n -> n.equals("escalated")).count())
                    .as(what)
                    .isLessThanOrEqualTo(1);
            assertThat(notifications).as(what).doesNotContain("de-escalated", "repeat");
            // One resolve, last, after the burst.
            Alert last = series.get(series.size() - 1);
            assertThat(last.notification).as(what).isEqualTo("resolved");
            assertThat(last.time).as(what).isGreaterThanOrEqualTo(BURST_END);
            assertThat(notifications.stream().filter(n -> n.equals("resolved")).count())
                    .as(what)
                    .isEqualTo(1);
        }
    }
}
