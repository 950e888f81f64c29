package io.recsys.monitor.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.state.RocksDbMemory;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;

/** The bench's cluster runs checkpoints as a local run does, and keeps all of them in view. */
class BenchClusterConfigurationTest {
    private static final Path WORK = Path.of("/tmp/bench-work");

    @Test
    void rocksDbRunsWithItsMemoryIncrementalCheckpointsAndDebloatedBuffers() {
        Configuration conf = BenchRun.clusterConfiguration("rocksdb", 2, WORK);
        assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.ofMebiBytes(2 * RocksDbMemory.MEBIBYTES_PER_SLOT));
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED)).isTrue();
        assertThat(conf.get(CheckpointingOptions.ENABLE_UNALIGNED)).isFalse();
    }

    @Test
    void theHeapBackendDebloatsBuffersAndTakesFullCheckpoints() {
        Configuration conf = BenchRun.clusterConfiguration("hashmap", 2, WORK);
        assertThat(conf.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isFalse();
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(conf.get(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED)).isTrue();
    }

    @Test
    void theRestHistoryHoldsEveryCheckpointOfALongRun() {
        // A 10-minute backlog at 10 s intervals, with the failed ones: far more than Flink's 10.
        assertThat(
                        BenchRun.clusterConfiguration("rocksdb", 2, WORK)
                                .get(WebOptions.CHECKPOINTS_HISTORY_SIZE))
                .isGreaterThanOrEqualTo(10_000);
    }
}
