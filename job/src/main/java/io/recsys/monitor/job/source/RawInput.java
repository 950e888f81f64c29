package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.GuardedParse;
import io.recsys.monitor.operators.ingest.InputWatermarks;
import io.recsys.monitor.operators.ingest.ReplayWatermarks;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Turns a stream of raw JSON lines into parsed input with event time. Parsing, the event-time guard
 * ({@link GuardedParse}: an event too far in the future never moves the watermark) and watermarks
 * run chained at the source's parallelism, so that each watermark follows one source split in its
 * own order and an exhausted split ends cleanly instead of holding event time back.
 */
public final class RawInput {
    /**
     * The least event time by which a replay's watermark moves (at least the out-of-orderness):
     * often enough for windows of a minute, rarely enough to cost little.
     */
    private static final long MIN_WATERMARK_STEP_MILLIS = 1_000;

    private RawInput() {}

    /** Lines as text, as the generator and tests hand them over. */
    public static DataStream<InputRecord> parse(
            DataStream<String> raw, String sourceName, String uidPrefix, MonitorConfig config) {
        return withEventTime(
                guardedParse(raw, GuardedParse.TEXT, sourceName, uidPrefix, config),
                sourceName,
                uidPrefix,
                config);
    }

    /**
     * Lines of a file as bytes ({@link JsonLinesFormat}): the parser checks them as UTF-8 instead
     * of a decoder replacing what is not.
     */
    public static DataStream<InputRecord> parseLines(
            DataStream<RawLine> raw, String sourceName, String uidPrefix, MonitorConfig config) {
        return withEventTime(
                guardedParse(raw, GuardedParse.BYTES, sourceName, uidPrefix, config),
                sourceName,
                uidPrefix,
                config);
    }

    /**
     * Parsed and guarded input without watermarks, for a source that assigns its own; the time
     * guard runs before any watermark, so that an event dated years ahead never moves it.
     */
    public static <T> DataStream<InputRecord> guardedParse(
            DataStream<T> raw,
            GuardedParse.LineReader<T> reader,
            String sourceName,
            String uidPrefix,
            MonitorConfig config) {
        // Nothing changes a parsed record, so the chained operators share it instead of copying.
        return raw.transform(
                        "Parse events, guard event time (" + sourceName + ")",
                        UnchangedRecordTypeInfo.of(InputRecord.class),
                        new GuardedParse<>(
                                reader,
                                EventLimits.fromConfig(config),
                                sourceName,
                                config.get(Settings.MAX_FUTURE_SKEW),
                                config.eventTimeFollowsClock()))
                .setParallelism(raw.getParallelism())
                // The uid of the stateless parser this replaced: savepoints of it restore.
                .uid(uidPrefix + "-parse");
    }

    private static DataStream<InputRecord> withEventTime(
            DataStream<InputRecord> parsed,
            String sourceName,
            String uidPrefix,
            MonitorConfig config) {
        Duration outOfOrderness = config.get(Settings.WATERMARK_OUT_OF_ORDERNESS);
        if (config.eventTimeFollowsClock()) {
            return parsed.assignTimestampsAndWatermarks(
                            InputWatermarks.strategy(
                                    outOfOrderness, config.get(Settings.WATERMARK_IDLENESS)))
                    .setParallelism(parsed.getParallelism())
                    .uid(uidPrefix + "-event-time")
                    .name("Event time and watermarks (" + sourceName + ")");
        }
        // The data alone moves the watermark: the same output at any pace and after a restore.
        return parsed.transform(
                        "Event time and watermarks (" + sourceName + ")",
                        UnchangedRecordTypeInfo.of(InputRecord.class),
                        new ReplayWatermarks(
                                outOfOrderness.toMillis(),
                                Math.max(MIN_WATERMARK_STEP_MILLIS, outOfOrderness.toMillis())))
                .setParallelism(parsed.getParallelism())
                .uid(uidPrefix + "-event-time");
    }
}
