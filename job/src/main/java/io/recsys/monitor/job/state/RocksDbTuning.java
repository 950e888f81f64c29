package io.recsys.monitor.job.state;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * RocksDB options for the job's access pattern: point reads by key (a feedback event looks up its
 * request), most of them for keys written moments ago, some for keys never written (feedback before
 * its prediction, or for a request that closed). A bloom filter per SST file lets a read skip the
 * files that cannot hold its key instead of searching their index and blocks. Flink applies these
 * keys to every column family of the backend; the keys are those of Flink's {@code
 * RocksDBConfigurableOptions}, named here so that the job needs no compile dependency on the
 * backend that the service provides.
 */
public final class RocksDbTuning {
    static final ConfigOption<Boolean> USE_BLOOM_FILTER =
            ConfigOptions.key("state.backend.rocksdb.use-bloom-filter")
                    .booleanType()
                    .defaultValue(false);

    private RocksDbTuning() {}

    /** Sets the options on {@code conf}, the cluster's or the job's configuration. */
    public static void apply(Configuration conf) {
        conf.set(USE_BLOOM_FILTER, true);
    }
}
