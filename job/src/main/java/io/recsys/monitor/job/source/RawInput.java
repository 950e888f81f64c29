package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.GuardedParse;
import io.recsys.monitor.operators.ingest.InputWatermarks;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Turns a stream of raw JSON lines into parsed input with event time. Parsing, the event-time guard
 * ({@link GuardedParse}: an event too far in the future never moves the watermark) and watermarks
 * run chained at the source's parallelism, so that each watermark follows one source split in its
 * own order and an exhausted split ends cleanly instead of holding event time back.
 */
public final class RawInput {
    private RawInput() {}

    public static DataStream<InputRecord> parse(
            DataStream<String> raw, String sourceName, String uidPrefix, MonitorConfig config) {
        int parallelism = raw.getParallelism();
        // Nothing changes a parsed record, so the chained operators share it instead of copying.
        // The time guard runs before the watermarks, so that an event dated years ahead never
        // moves them (see EventTimeGuard).
        return raw.transform(
                        "Parse events, guard event time (" + sourceName + ")",
                        UnchangedRecordTypeInfo.of(InputRecord.class),
                        new GuardedParse(
                                EventLimits.fromConfig(config),
                                sourceName,
                                config.get(Settings.MAX_FUTURE_SKEW),
                                config.eventTimeFollowsClock()))
                .setParallelism(parallelism)
                // The uid of the stateless parser this replaced: savepoints of it restore.
                .uid(uidPrefix + "-parse")
                .assignTimestampsAndWatermarks(
                        InputWatermarks.strategy(
                                config.get(Settings.WATERMARK_OUT_OF_ORDERNESS),
                                config.get(Settings.WATERMARK_IDLENESS)))
                .setParallelism(parallelism)
                .uid(uidPrefix + "-event-time")
                .name("Event time and watermarks (" + sourceName + ")");
    }
}
