package io.recsys.monitor.job;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.source.RawInput;
import io.recsys.monitor.model.InputRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A test input: fixed raw lines, in order, through the same parsing as every real source. */
final class FixedInput implements MonitorSources {
    private final ArrayList<String> lines;
    private final MonitorConfig config;

    FixedInput(List<String> lines, MonitorConfig config) {
        this.lines = new ArrayList<>(lines);
        this.config = config;
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        DataStream<String> raw =
                env.fromData(lines, Types.STRING).setParallelism(1).uid("source-fixed");
        return RawInput.parse(raw, "test", "test", config);
    }
}
