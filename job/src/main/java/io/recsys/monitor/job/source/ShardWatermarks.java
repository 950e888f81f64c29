package io.recsys.monitor.job.source;

import io.recsys.monitor.model.InputRecord;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The event time of one Kinesis shard, driven by the same {@link WatermarkStrategy} as the other
 * sources ({@code InputWatermarks}). {@code FlinkKinesisConsumer} 4.x only takes the legacy {@link
 * AssignerWithPeriodicWatermarks}, which it clones per shard and then combines into the subtask's
 * watermark (the minimum over active shards); this adapter lets the strategy run inside it.
 *
 * <p>Dead letters have no event time ({@link InputRecord#eventTime()} is {@link Long#MIN_VALUE})
 * and never reach the generator. Until a shard has delivered one valid event it reports no
 * watermark at all, so that a shard carrying only bad records neither moves nor holds back the
 * subtask's event time.
 */
@SuppressWarnings("deprecation") // the connector's per-shard watermark API is the legacy one
final class ShardWatermarks implements AssignerWithPeriodicWatermarks<InputRecord> {
    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<InputRecord> strategy;

    // Created after the connector's per-shard clone, so every shard has its own generator.
    private transient WatermarkGenerator<InputRecord> generator;
    private transient TimestampAssigner<InputRecord> timestamps;
    private transient LatestWatermark output;

    ShardWatermarks(WatermarkStrategy<InputRecord> strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public long extractTimestamp(InputRecord record, long previousElementTimestamp) {
        ensureCreated();
        long timestamp = timestamps.extractTimestamp(record, previousElementTimestamp);
        if (timestamp != Long.MIN_VALUE) {
            generator.onEvent(record, timestamp, output);
        }
        return timestamp;
    }

    @Override
    public Watermark getCurrentWatermark() {
        ensureCreated();
        generator.onPeriodicEmit(output);
        return output.latest;
    }

    private void ensureCreated() {
        if (generator == null) {
            NoMetrics context = new NoMetrics();
            generator = strategy.createWatermarkGenerator(context);
            timestamps = strategy.createTimestampAssigner(context);
            output = new LatestWatermark();
        }
    }

    /**
     * Keeps the highest watermark the generator emitted. Idleness is left to the connector's
     * shard-idle interval, which sees every shard, so idle marks are ignored here.
     */
    private static final class LatestWatermark implements WatermarkOutput {
        Watermark latest;

        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {
            long t = watermark.getTimestamp();
            // Long.MIN_VALUE is what a bounded-out-of-orderness generator emits before its first
            // event: no watermark yet.
            if (t != Long.MIN_VALUE && (latest == null || t > latest.getTimestamp())) {
                latest = new Watermark(t);
            }
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    /** The connector gives a shard's assigner no metric group; the generators need none. */
    private static final class NoMetrics
            implements WatermarkGeneratorSupplier.Context, TimestampAssignerSupplier.Context {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }
    }
}
