package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.sink.LocalOutputs;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the web UI and savepoints see: every operator has a stable uid and a readable name. */
class MonitoringJobTopologyTest {

    @TempDir Path output;

    @Test
    void everyOperatorHasAUidAndAName() {
        StreamGraph graph = graphOfTheJob();
        // Hashing the uids into operator ids fails on a duplicate uid.
        assertThat(graph.getJobGraph().getVertices()).isNotEmpty();
        assertThat(graph.getStreamNodes()).hasSizeGreaterThan(10);
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID())
                    .as("uid of " + node.getOperatorName())
                    .isNotBlank();
            assertThat(node.getOperatorName())
                    .isNotBlank()
                    .doesNotStartWith("Map")
                    .doesNotStartWith("Process");
        }
    }

    /**
     * The service-health operators, now built from their sliced-metric description, keep the uids
     * of the release before it, so that its savepoints map their state onto them.
     */
    @Test
    void serviceHealthKeepsTheUidsOfThePreviousRelease() {
        assertThat(uidsOfTheJob())
                .contains(
                        "health-pre-aggregation",
                        "health-per-slice",
                        "health-roll-up",
                        "health-totals",
                        "service-health-metrics",
                        "late-health-responses",
                        "availability");
    }

    /**
     * Drift, now judged per model version and feature, keeps the uid of the operator keyed by model
     * version ({@code DriftStateHandOff} restores its state and hands it on) and of the
     * pre-aggregation, whose pending panes are unchanged; the split stages have uids of their own.
     */
    @Test
    void driftKeepsTheUidsOfThePreviousRelease() {
        assertThat(uidsOfTheJob())
                .contains(
                        "drift-pre-aggregation",
                        "drift-per-model-version",
                        "drift-reports-in-order",
                        "drift-pane-split",
                        "drift-per-model-version-and-feature",
                        "drift-combined-per-model-version");
    }

    /**
     * Recommendation quality keeps the uids of the release before its sliced-metric description
     * (the per-slice window's is stated, not derived; the merge window's, which now only fires what
     * a savepoint of that release holds, is still a keyed window's) and gains its totals and a
     * report uid of its own.
     */
    @Test
    void recommendationQualityKeepsTheUidsOfThePreviousRelease() {
        assertThat(uidsOfTheJob())
                .contains(
                        "recommendation-pre-aggregation",
                        "recommendation-sketch-per-slice",
                        "recommendation-roll-up",
                        "recommendation-totals",
                        "recommendation-quality-metrics",
                        "recommendation-quality-report")
                .doesNotContain("recommendation-per-slice");
        StreamNode merge =
                graphOfTheJob().getStreamNodes().stream()
                        .filter(
                                n ->
                                        "recommendation-quality-metrics"
                                                .equals(n.getTransformationUID()))
                        .findFirst()
                        .orElseThrow();
        assertThat(merge.getOperatorFactory())
                .isInstanceOfSatisfying(
                        SimpleOperatorFactory.class,
                        f -> assertThat(f.getOperator()).isInstanceOf(WindowOperator.class));
    }

    /**
     * Data quality keeps the uids of the release before its sliced-metric description (its
     * pre-counts, dead-letter window, roll-up and report; the merge window, which now only fires
     * what a savepoint of that release holds) and gains its per-slice window and totals.
     */
    @Test
    void dataQualityKeepsTheUidsOfThePreviousRelease() {
        assertThat(uidsOfTheJob())
                .contains(
                        "data-quality-predictions-pre-count",
                        "data-quality-feedback-pre-count",
                        "data-quality-folded-values-pre-count",
                        "dead-letter-timestamps",
                        "data-quality-dead-letters",
                        "data-quality-merge",
                        "data-quality-per-slice",
                        "data-quality-roll-up",
                        "data-quality-totals",
                        "data-quality-metrics");
    }

    private StreamGraph graphOfTheJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MonitorConfig config = MonitorConfig.defaults();
        MonitoringJob.build(
                env,
                new FixedInput(Collections.singletonList("{}"), config),
                LocalOutputs.fresh(output, true),
                config);
        return env.getStreamGraph();
    }

    private Set<String> uidsOfTheJob() {
        return graphOfTheJob().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .collect(Collectors.toSet());
    }
}
