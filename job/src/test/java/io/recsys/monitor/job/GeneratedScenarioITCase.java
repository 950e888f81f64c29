package io.recsys.monitor.job;

import static io.recsys.monitor.job.TestEvents.HOUR;
import static io.recsys.monitor.job.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.MetricPoint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole graph over four hours of generated traffic with the generator's ctr-drop scenario
 * (click probability x0.4) from the start of hour 2: CTR, overall and at every rank, falls in the
 * window that hour starts and not before, and the recommendation-quality metrics come out in range.
 */
class GeneratedScenarioITCase {
    private static final long DROP = T0 + 2 * HOUR;

    @RegisterExtension static final MiniClusterExtension CLUSTER = LocalReplay.miniCluster();

    @TempDir Path output;

    @Test
    void ctrDropShowsInCtrAndCtrAtRankInTheWindowItStarts() throws Exception {
        MonitorConfig config =
                MonitorConfig.defaults()
                        .with("generator.scenarios", "ctr-drop@" + Instant.ofEpochMilli(DROP))
                        .with("generator.start-time", Instant.ofEpochMilli(T0).toString())
                        .with("metrics.catalogue-size", "5000");
        // Four hours of requests and the feedback they cause within the attribution window.
        List<String> lines = LocalReplay.generatedLines(config, T0 + 4 * HOUR + 35 * 60_000L);
        LocalReplay.run("generated-scenario-test", lines, config, output);

        Map<String, Double> m = new HashMap<>();
        for (MetricPoint p : RunOutputs.metricPoints(output)) {
            m.put(p.seriesKey() + "@" + (p.timestamp - T0) / HOUR, p.value);
        }
        // Hours 0 and 1 (window ends 1, 2) at the generator's 3.5 %; hour 2 (end 3) at ~1.4 %.
        double before = (m.get("CTR{}@1") + m.get("CTR{}@2")) / 2;
        double after = m.get("CTR{}@3");
        System.out.printf("CTR before %.3f %%, in the drop window %.3f %%%n", before, after);
        assertThat(before).isBetween(3.0, 4.0);
        assertThat(m.get("CTR{}@2")).isGreaterThan(0.8 * before);
        assertThat(after).isLessThan(0.55 * before);
        assertThat(m.get("CTR{}@4")).isLessThan(0.55 * before);
        for (int rank = 1; rank <= 10; rank++) {
            String series = "CTRAtRank{Rank=" + rank + "}";
            double rankBefore = (m.get(series + "@1") + m.get(series + "@2")) / 2;
            double rankAfter = m.get(series + "@3");
            System.out.printf(
                    "CTRAtRank %d before %.3f %%, in the drop window %.3f %%%n",
                    rank, rankBefore, rankAfter);
            assertThat(m.get(series + "@2")).as(series).isGreaterThan(0.6 * rankBefore);
            assertThat(rankAfter).as(series).isLessThan(0.7 * rankBefore);
        }
        // The top of the list earns more clicks than the bottom (click probability ~ rank^-0.6).
        assertThat(m.get("CTRAtRank{Rank=1}@1")).isGreaterThan(m.get("CTRAtRank{Rank=10}@1"));

        // Recommendation quality over the generator's 5000-item catalogue.
        for (int end = 1; end <= 4; end++) {
            assertThat(m.get("CoveragePercentage{}@" + end)).isBetween(30.0, 100.0);
            assertThat(m.get("DiversityScore{}@" + end)).isBetween(0.8, 1.0);
            assertThat(m.get("PopularityGini{}@" + end)).isBetween(0.2, 0.9);
            assertThat(m.get("Novelty{}@" + end)).isBetween(8.0, 12.3);
            assertThat(m.get("NDCGAt10{}@" + end)).isBetween(0.0, 1.0);
        }
        System.out.println(
                "Quality hour 0: coverage "
                        + m.get("CoveragePercentage{}@1")
                        + " diversity "
                        + m.get("DiversityScore{}@1")
                        + " gini "
                        + m.get("PopularityGini{}@1")
                        + " novelty "
                        + m.get("Novelty{}@1")
                        + " P@10 "
                        + m.get("PrecisionAt10{}@1")
                        + " NDCG@10 "
                        + m.get("NDCGAt10{}@1")
                        + " MRR "
                        + m.get("MRR{}@1"));
    }
}
