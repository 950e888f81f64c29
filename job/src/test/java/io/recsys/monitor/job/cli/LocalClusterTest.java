package io.recsys.monitor.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.config.Settings;
import io.recsys.monitor.job.lifecycle.ResumePlan;
import io.recsys.monitor.job.state.RocksDbMemory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint and state-backend configuration a local run's embedded cluster gets. */
class LocalClusterTest {
    @TempDir Path dir;

    private Configuration durable(MonitorConfig config) {
        Configuration conf = new Configuration();
        ResumePlan plan =
                ResumePlan.decide(
                        ResumePlan.Mode.FRESH,
                        null,
                        Optional.empty(),
                        null,
                        Map.of(),
                        Optional.empty(),
                        "0123456789abcdef0123456789abcdef",
                        dir);
        LocalCluster.durability(
                conf, config, dir.resolve("checkpoints"), dir.resolve("savepoints"), plan);
        return conf;
    }

    @Test
    void rocksDbGetsTheBenchsManagedMemoryForEverySlot() {
        Configuration conf =
                durable(
                        MonitorConfig.defaults()
                                .with(Settings.STATE_BACKEND.key(), "rocksdb")
                                .with(Settings.PARALLELISM.key(), "3"));
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.ofMebiBytes(3 * RocksDbMemory.MEBIBYTES_PER_SLOT));
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void checkpointsStayAlignedBehindDebloatedBuffersOnEitherBackend() {
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            Configuration conf =
                    durable(MonitorConfig.defaults().with(Settings.STATE_BACKEND.key(), backend));
            assertThat(conf.get(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED)).as(backend).isTrue();
            assertThat(conf.get(CheckpointingOptions.ENABLE_UNALIGNED)).as(backend).isFalse();
        }
    }

    @Test
    void theHeapBackendKeepsFlinksManagedMemory() {
        Configuration conf = durable(MonitorConfig.defaults());
        assertThat(conf.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }
}
