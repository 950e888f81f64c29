package io.recsys.monitor.operators.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.ServiceHealthCounts;
import io.recsys.monitor.model.SliceTally;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

/** The evidence the health points carry: the requests behind each percentile and rate. */
class ServiceHealthReportTest {

    @Test
    void percentilesAndErrorRateCarryTheirRequests() {
        ServiceHealthCounts c = new ServiceHealthCounts(20);
        for (int i = 0; i < 240; i++) {
            c.add(ServiceHealthMetricsTest.response(10 + i, "X", i < 6));
        }
        List<MetricPoint> points = new ArrayList<>();
        new ServiceHealthReport("NS")
                .flatMap(new SliceTally<>("", 0, 60_000, c), new ListCollector<>(points));
        for (MetricPoint p : points) {
            switch (p.metric) {
                case "LatencyP50":
                case "LatencyP95":
                case "LatencyP99":
                case "ErrorRate":
                    assertThat(p.samples).as(p.metric).isEqualTo(240);
                    break;
                default:
                    assertThat(p.samples).as(p.metric).isZero();
            }
            assertThat(p.sampleStdDev).isNaN();
        }
        assertThat(points).extracting(p -> p.metric).contains("LatencyP99", "ErrorRate", "Errors");
    }
}
