package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyntheticSourceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void emitsTheSimulatorsLinesUpToMaxEvents() throws Exception {
        GeneratorSettings settings =
                TrafficSimulatorTest.settings(
                        "generator.max-events", "500", "generator.events-per-second", "100000");
        DataGeneratorSource<String> source = SyntheticSource.create(settings);
        assertThat(source.getProducedType()).isEqualTo(Types.STRING);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<String> lines =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic")
                        .setParallelism(1)
                        .executeAndCollect(1_000);

        assertThat(lines).hasSize(500);
        TrafficSimulator sim = new TrafficSimulator(settings);
        for (String line : lines) {
            assertThat(line).isEqualTo(sim.next().json);
        }
    }
}
