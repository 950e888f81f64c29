package io.recsys.monitor.job.source;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.SyntheticSource;
import io.recsys.monitor.model.InputRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default input: synthetic prediction and feedback traffic from the seeded generator,
 * at one subtask so that the stream stays in event-time order.
 */
public final class GeneratorInput implements MonitorSources {
    private final MonitorConfig config;

    public GeneratorInput(MonitorConfig config) {
        this.config = config;
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        DataStream<String> raw =
                env.fromSource(
                                SyntheticSource.create(GeneratorSettings.fromConfig(config)),
                                WatermarkStrategy.noWatermarks(),
                                "Synthetic traffic")
                        .setParallelism(1)
                        .uid("source-generator");
        return RawInput.parse(raw, "generator", "generator", config);
    }
}
