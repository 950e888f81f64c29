package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.InputWatermarks;
import io.recsys.monitor.operators.ingest.ParseEvents;
import io.recsys.monitor.operators.ingest.ParseLines;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Turns a stream of raw JSON lines into parsed input with event time. Parsing and watermarks run
 * chained at the source's parallelism, so that each watermark follows one source split in its own
 * order and an exhausted split ends cleanly instead of holding event time back.
 */
public final class RawInput {
    private RawInput() {}

    public static DataStream<InputRecord> parse(
            DataStream<String> raw, String sourceName, String uidPrefix, MonitorConfig config) {
        // Nothing changes a parsed record, so the chained operators share it instead of copying.
        return withEventTime(
                raw.map(
                        new ParseEvents(EventLimits.fromConfig(config), sourceName),
                        UnchangedRecordTypeInfo.of(InputRecord.class)),
                raw.getParallelism(),
                sourceName,
                uidPrefix,
                config);
    }

    /**
     * Parses lines of a file handed over as bytes; the parse keeps the uid of the text form it
     * replaced ({@code <prefix>-parse}), which held no state.
     */
    public static DataStream<InputRecord> parseLines(
            DataStream<RawLine> raw, String sourceName, String uidPrefix, MonitorConfig config) {
        return withEventTime(
                raw.map(
                        new ParseLines(EventLimits.fromConfig(config), sourceName),
                        UnchangedRecordTypeInfo.of(InputRecord.class)),
                raw.getParallelism(),
                sourceName,
                uidPrefix,
                config);
    }

    private static DataStream<InputRecord> withEventTime(
            SingleOutputStreamOperator<InputRecord> parsed,
            int parallelism,
            String sourceName,
            String uidPrefix,
            MonitorConfig config) {
        return parsed.setParallelism(parallelism)
                .uid(uidPrefix + "-parse")
                .name("Parse events (" + sourceName + ")")
                .assignTimestampsAndWatermarks(
                        InputWatermarks.strategy(
                                config.get(Settings.WATERMARK_OUT_OF_ORDERNESS),
                                config.get(Settings.WATERMARK_IDLENESS)))
                .setParallelism(parallelism)
                .uid(uidPrefix + "-event-time")
                .name("Event time and watermarks (" + sourceName + ")");
    }
}
