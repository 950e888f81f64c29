package io.recsys.monitor.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.model.MetricNames;
import io.recsys.monitor.model.MetricPoint;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.model.RecommendedItem;
import io.recsys.monitor.operators.recommendation.RecommendationBaseline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Late predictions correct the recommendation-quality window they belong to, in every slice of it,
 * within {@code metrics.recommendation-allowed-lateness} (10 min by default) and not after. One
 * subtask and a watermark at every prediction's time (no out-of-orderness), so that which
 * predictions are late is fixed by their order. Items "item-i" are of category "c" + i % 2, so a
 * list's diversity is its share of pairs of different parity; the catalogue has 10 items.
 */
class RecommendationQualityLateDataITCase {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static PredictionEvent prediction(long minute, String segment, int... items) {
        PredictionEvent p = new PredictionEvent();
        p.requestId = "r" + minute;
        p.eventTime = minute * MINUTE;
        p.modelVersion = "v1";
        p.userSegment = segment;
        for (int item : items) {
            p.recommendations.add(new RecommendedItem("item-" + item, 0.5, "c" + item % 2, 1));
        }
        return p;
    }

    /** A watermark at every new prediction time, so that a test can say which ones are late. */
    private static final class AtEveryPrediction implements WatermarkGenerator<PredictionEvent> {
        private long newest = Long.MIN_VALUE;

        @Override
        public void onEvent(PredictionEvent p, long timestamp, WatermarkOutput output) {
            if (timestamp > newest) {
                newest = timestamp;
                output.emitWatermark(new Watermark(timestamp));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    @Test
    void aLatePredictionCorrectsEverySliceOfItsWindowAndALaterOneIsNotCounted() throws Exception {
        List<PredictionEvent> predictions =
                List.of(
                        prediction(10, "new", 1, 2), // diversity 1
                        prediction(20, "new", 1, 3), // diversity 0
                        // The watermark passes 01:00: hour 0 is reported (mean diversity 1/2).
                        prediction(65, "new", 7, 8),
                        // 5 min after hour 0 fired: a new slice, and a correction of v1 and all.
                        prediction(30, "returning", 5, 6), // diversity 1
                        prediction(66, "new", 7, 8),
                        // The watermark passes 01:10, hour 0's end of lateness: this is dropped.
                        prediction(71, "new", 7, 8),
                        prediction(40, "returning", 9, 9));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<PredictionEvent> stream =
                env.fromData(predictions, TypeInformation.of(PredictionEvent.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<PredictionEvent>forGenerator(
                                                c -> new AtEveryPrediction())
                                        .withTimestampAssigner((p, previous) -> p.eventTime));
        DataStream<MetricPoint> metrics =
                RecommendationQualityGraph.metrics(
                        stream, MonitorConfig.defaults(), RecommendationBaseline.of(10));

        Map<String, List<Double>> diversity = new LinkedHashMap<>();
        Map<String, List<Double>> coverage = new LinkedHashMap<>();
        try (CloseableIterator<MetricPoint> points = metrics.executeAndCollect("late-quality")) {
            while (points.hasNext()) {
                MetricPoint p = points.next();
                if (p.timestamp != HOUR) {
                    continue; // only hour 0's points, stamped with its end
                }
                String series = p.dimensions.toString();
                if (p.metric.equals(MetricNames.DIVERSITY)) {
                    diversity.computeIfAbsent(series, s -> new ArrayList<>()).add(p.value);
                } else if (p.metric.equals(MetricNames.COVERAGE)) {
                    coverage.computeIfAbsent(series, s -> new ArrayList<>()).add(p.value);
                }
            }
        }
        String all = "{}";
        String v1 = "{ModelVersion=v1}";
        String fresh = "{ModelVersion=v1, UserSegment=new}";
        String returning = "{ModelVersion=v1, UserSegment=returning}";
        assertThat(diversity).containsOnlyKeys(all, v1, fresh, returning);
        // Reported once at 01:00 over (1 2) and (1 3), then corrected with (5 6): (1 + 0 + 1) / 3.
        assertThat(diversity.get(all)).containsExactly(0.5, 2.0 / 3);
        assertThat(diversity.get(v1)).containsExactly(0.5, 2.0 / 3);
        assertThat(diversity.get(fresh)).containsExactly(0.5);
        assertThat(diversity.get(returning)).containsExactly(1.0);
        // Coverage of the 10 items: 3 distinct (1 2 3), then 5 (1 2 3 5 6); item 9 never counts.
        assertThat(coverage.get(all)).hasSize(2);
        assertThat(coverage.get(all).get(0)).isCloseTo(30.0, within(1e-6));
        assertThat(coverage.get(all).get(1)).isCloseTo(50.0, within(1e-6));
        assertThat(coverage.get(returning))
                .singleElement()
                .satisfies(c -> assertThat(c).isCloseTo(20.0, within(1e-6)));
    }
}
