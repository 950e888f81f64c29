package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.model.InputRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * JSON-lines files as input, through Flink's FileSource: a bounded replay of a file or a directory
 * that ends by itself, or, with {@code source.follow}, continuous monitoring of a directory for new
 * files.
 */
public final class FileInput implements MonitorSources {
    private final MonitorConfig config;

    public FileInput(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        String path = config.get(Settings.SOURCE_INPUT);
        FileSource.FileSourceBuilder<String> builder =
                FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(path));
        if (config.get(Settings.SOURCE_FOLLOW)) {
            builder.monitorContinuously(config.get(Settings.SOURCE_MONITOR_INTERVAL));
        }
        DataStream<String> raw =
                env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "Files: " + path)
                        .uid("source-file");
        return RawInput.parse(raw, "file:" + path, "file", config);
    }
}
