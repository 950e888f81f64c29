package io.recsys.monitor.operators.ingest;

import io.recsys.monitor.model.InputRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the input: each event's own {@code event_time}, watermarks that trail the newest
 * event by the configured out-of-orderness, and idleness so that a silent split (a quiet shard, a
 * finished file) does not hold event time back. Dead letters have no event time and never move the
 * watermark.
 */
public final class InputWatermarks {
    private InputWatermarks() {}

    public static WatermarkStrategy<InputRecord> strategy(
            Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<InputRecord> strategy =
                WatermarkStrategy.<InputRecord>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((record, previous) -> record.eventTime());
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }
}
