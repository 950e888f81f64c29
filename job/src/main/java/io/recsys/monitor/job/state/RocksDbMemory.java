package io.recsys.monitor.job.state;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The managed memory RocksDB gets in every cluster this application starts itself ({@code bench}
 * and the local {@code run}): {@value #MEBIBYTES_PER_SLOT} MiB per slot, which RocksDB shares among
 * the keyed operators of the slot for its write buffers and block cache.
 *
 * <p>Flink's default for an embedded cluster is 128 MiB for the whole task manager: too little,
 * RocksDB's writes stall behind flushes and compactions. One KPU of Managed Service for Apache
 * Flink (4 GiB, managed fraction 0.4) gives its slot more than this; there the service sizes the
 * task managers and this class plays no part.
 */
public final class RocksDbMemory {
    /** RocksDB's memory per slot: its write buffers and block cache. */
    public static final long MEBIBYTES_PER_SLOT = 512;

    private RocksDbMemory() {}

    /**
     * Gives a task manager of {@code slots} slots {@value #MEBIBYTES_PER_SLOT} MiB of managed
     * memory per slot and the {@link RocksDbTuning} options when {@code stateBackend} is rocksdb;
     * leaves the heap backend's configuration alone (it uses no managed memory).
     */
    public static void configure(Configuration conf, String stateBackend, int slots) {
        if ("rocksdb".equals(stateBackend)) {
            conf.set(
                    TaskManagerOptions.MANAGED_MEMORY_SIZE,
                    MemorySize.ofMebiBytes(MEBIBYTES_PER_SLOT * slots));
            RocksDbTuning.apply(conf);
        }
    }
}
