package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.graph.EngagementGraph;
import io.recsys.monitor.model.EngagementSignal;
import io.recsys.monitor.model.EngagementSignal.Kind;
import io.recsys.monitor.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Late feedback through the two-stage engagement roll-up, with watermarks placed by hand: feedback
 * that arrives after its hour has been reported but within the attribution window corrects that
 * hour, overall to the exact new value (the roll-up replaces the slice's contribution rather than
 * adding the re-fired count to it); feedback later than that is counted as LateFeedback.
 */
class LateFeedbackCorrectionITCase {
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /**
     * Signals and watermarks in a fixed order; a null step stands for a watermark. Steps are kept
     * as text, since the source is shipped by Java serialization.
     */
    static final class Script implements SourceFunction<EngagementSignal> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String[]> signals = new ArrayList<>();
        private final ArrayList<Long> watermarks = new ArrayList<>();

        Script signal(long t, String model, String segment, Kind kind, int items, int rank) {
            signals.add(
                    new String[] {
                        Long.toString(t), model, segment, kind.name(), "" + items, "" + rank
                    });
            watermarks.add(null);
            return this;
        }

        Script impressions(long t, String model, String segment, int count) {
            for (int i = 0; i < count; i++) {
                signal(t, model, segment, Kind.IMPRESSION, 0, i % 10 + 1);
            }
            return this;
        }

        Script watermark(long t) {
            signals.add(null);
            watermarks.add(t);
            return this;
        }

        @Override
        public void run(SourceContext<EngagementSignal> ctx) {
            for (int i = 0; i < signals.size(); i++) {
                if (signals.get(i) == null) {
                    ctx.emitWatermark(new Watermark(watermarks.get(i)));
                } else {
                    String[] f = signals.get(i);
                    EngagementSignal signal =
                            new EngagementSignal(
                                    Long.parseLong(f[0]),
                                    f[1],
                                    f[2],
                                    Kind.valueOf(f[3]),
                                    Integer.parseInt(f[4]),
                                    0,
                                    Integer.parseInt(f[5]));
                    ctx.collectWithTimestamp(signal, signal.eventTime);
                }
            }
        }

        @Override
        public void cancel() {}
    }

    @Test
    void lateFeedbackCorrectsItsHourAndLaterFeedbackIsCounted() throws Exception {
        Script script =
                new Script()
                        // Hour 0: v1/new 10 impressions, 1 click at rank 1; v2/returning 30
                        // impressions, no click. Overall CTR 1 / 40 = 2.5 %.
                        .signal(10 * MIN, "v1", "new", Kind.SERVED, 10, 0)
                        .impressions(10 * MIN, "v1", "new", 10)
                        .signal(15 * MIN, "v1", "new", Kind.CLICK, 0, 1)
                        .signal(20 * MIN, "v2", "returning", Kind.SERVED, 10, 0)
                        .impressions(20 * MIN, "v2", "returning", 30)
                        .watermark(HOUR + MIN)
                        // A click of 00:50 arrives at 01:01, within the 30-minute attribution
                        // window: overall 2 / 40 = 5 % (adding the re-fired tally would give
                        // (1 + 2) / (40 + 10) = 6 %).
                        .signal(50 * MIN, "v1", "new", Kind.CLICK, 0, 2)
                        .watermark(2 * HOUR + 5 * MIN)
                        // A click of 00:55 at 02:05: later than the allowed lateness.
                        .signal(55 * MIN, "v1", "new", Kind.CLICK, 0, 3)
                        .watermark(4 * HOUR);

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // One subtask per operator, so that the late signal reaches the late counter after the
        // watermark that made it late, and the counted window is fixed.
        env.setParallelism(1);
        MonitorConfig config = MonitorConfig.defaults();
        List<MetricPoint> points =
                EngagementGraph.metrics(
                                env.addSource(script, TypeInformation.of(EngagementSignal.class))
                                        .setParallelism(1),
                                config,
                                "late-feedback")
                        .executeAndCollect(10_000);

        assertThat(values(points, "CTR{}", HOUR)).containsExactly(2.5, 5.0);
        assertThat(values(points, "CTR{ModelVersion=v1}", HOUR)).containsExactly(10.0, 20.0);
        assertThat(values(points, "CTR{ModelVersion=v1, UserSegment=new}", HOUR))
                .containsExactly(10.0, 20.0);
        // v2's series is untouched by v1's late click.
        assertThat(values(points, "CTR{ModelVersion=v2}", HOUR)).containsExactly(0.0);
        // Rank 2: 0 of 4 impressions (ranks 1..10 over 40 impressions), then 1 of 4.
        assertThat(values(points, "CTRAtRank{Rank=2}", HOUR)).containsExactly(0.0, 25.0);
        assertThat(values(points, "LateFeedback{}", 3 * HOUR)).containsExactly(1.0);
        assertThat(points)
                .filteredOn(p -> p.metric.equals("CTR") && p.dimensions.isEmpty())
                .allSatisfy(
                        p -> {
                            assertThat(p.timestamp).isEqualTo(HOUR);
                            assertThat(p.windowStart).isZero();
                        });
        assertThat(values(points, "CTR{}", HOUR).get(1)).isCloseTo(5.0, within(1e-12));
    }

    /** Values of one series at one timestamp, in the order they were emitted. */
    private static List<Double> values(List<MetricPoint> points, String series, long timestamp) {
        return points.stream()
                .filter(p -> p.seriesKey().equals(series) && p.timestamp == timestamp)
                .map(p -> p.value)
                .collect(Collectors.toList());
    }
}
