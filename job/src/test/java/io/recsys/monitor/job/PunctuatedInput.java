package io.recsys.monitor.job;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.source.RawInput;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.operators.ingest.GuardedParse;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A test input: fixed lines, parsed as every real source parses them, with the job's
 * out-of-orderness but a watermark whenever the newest event time moves instead of one per
 * wall-clock interval ({@link FixedInput}). With parallelism 1 every operator then meets records
 * and watermarks in one order, whatever the machine's pace: a test can say which events are late.
 */
final class PunctuatedInput implements MonitorSources {
    private final ArrayList<String> lines;
    private final MonitorConfig config;

    PunctuatedInput(List<String> lines, MonitorConfig config) {
        this.lines = new ArrayList<>(lines);
        this.config = config;
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        long outOfOrderness = config.get(Settings.WATERMARK_OUT_OF_ORDERNESS).toMillis();
        return RawInput.guardedParse(
                        env.fromData(lines, Types.STRING).uid("source-fixed"),
                        GuardedParse.TEXT,
                        "test",
                        "test",
                        config)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<InputRecord>forGenerator(
                                        c -> new EveryEvent(outOfOrderness))
                                .withTimestampAssigner((r, previous) -> r.eventTime()));
    }

    /** Bounded out-of-orderness, emitted whenever the newest event time moves. */
    private static final class EveryEvent implements WatermarkGenerator<InputRecord> {
        private final long outOfOrderness;
        private long newest = Long.MIN_VALUE;

        EveryEvent(long outOfOrderness) {
            this.outOfOrderness = outOfOrderness;
        }

        @Override
        public void onEvent(InputRecord record, long timestamp, WatermarkOutput output) {
            if (timestamp != Long.MIN_VALUE && timestamp > newest) {
                newest = timestamp;
                output.emitWatermark(new Watermark(newest - outOfOrderness - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
