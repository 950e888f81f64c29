package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.text.UnicodeText;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * JSON-lines files as input, through Flink's FileSource: a bounded replay of a file or a directory
 * that ends by itself, or, with {@code source.follow}, continuous monitoring of a directory for new
 * files. Lines are read as bytes by a {@link JsonLinesFormat} in memory bounded by {@code
 * events.max-bytes}, and decoded by the parser, which rejects what is not UTF-8.
 *
 * <p>Only complete files are listed ({@link CompleteFiles}: names starting with {@code .} or {@code
 * _} or ending in {@code .tmp} wait for their rename), and a file that cannot be read ends the run
 * or, in a followed directory when it vanished or shrank, is skipped ({@link CompleteFileFormat}).
 * The source's state is the file source's own, as before: savepoints of earlier versions restore.
 */
public final class FileInput implements MonitorSources {
    private final MonitorConfig config;

    public FileInput(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        String path = config.get(Settings.SOURCE_INPUT);
        EventLimits limits = EventLimits.fromConfig(config);
        boolean follow = config.get(Settings.SOURCE_FOLLOW);
        FileSource.FileSourceBuilder<RawLine> builder =
                FileSource.forBulkFileFormat(
                                new CompleteFileFormat<>(
                                        new StreamFormatAdapter<>(lineFormat(limits)), follow),
                                new Path(path))
                        .setFileEnumerator(() -> new CompleteFiles(follow));
        if (follow) {
            builder.monitorContinuously(config.get(Settings.SOURCE_MONITOR_INTERVAL));
        }
        DataStream<RawLine> raw =
                env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "Files: " + path)
                        .uid("source-file");
        return RawInput.parseLines(raw, "file:" + path, "file", config);
    }

    /**
     * The line format for {@code limits}: a line is held whole up to the event size limit (plus a
     * byte-order mark, which the parser skips); of a longer one only what its dead letter keeps.
     */
    static JsonLinesFormat lineFormat(EventLimits limits) {
        int maxLineBytes = limits.maxEventBytes() + UnicodeText.bomLength();
        return new JsonLinesFormat(maxLineBytes, Math.min(limits.maxRawChars(), maxLineBytes));
    }
}
