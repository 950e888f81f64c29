package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.sinks.json.RecordEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's exactly-once promise through real failovers: a deterministic source (a fixed
 * number of records per checkpoint), an operator that fails twice, once just after a checkpoint
 * completed and once in the middle of a period, and a fixed-delay restart strategy. Every record
 * must be in the file exactly once, in order, with no torn line, and each line told to the
 * committed-line listener once.
 */
class ExactlyOnceFileITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final int RECORDS = 400;
    private static final int PER_CHECKPOINT = 10;
    private static final RecordEncoder<Long> ENCODER = n -> "{\"n\":" + n + "}";

    // The mini cluster runs in this JVM; the failing operator and the listener reach these.
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private static final List<String> TOLD = new java.util.concurrent.CopyOnWriteArrayList<>();

    @TempDir Path dir;

    // A static method: a bound reference (TOLD::add) would ship a copy of the list to the job.
    private static void tell(String line) {
        TOLD.add(line);
    }

    @Test
    void everyRecordIsWrittenOnceInOrderAcrossFailovers() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        FAILURES.set(0);
        TOLD.clear();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(50);

        env.fromSource(
                        new DataGeneratorSource<>(
                                index -> index,
                                RECORDS,
                                RateLimiterStrategy.perCheckpoint(PER_CHECKPOINT),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "numbers")
                .map(new FailTwice())
                .sinkTo(
                        JsonLinesFileSink.forPath(file, ENCODER)
                                .withCommittedLines(ExactlyOnceFileITCase::tell))
                .uid("numbers-file")
                .name("numbers-file");
        env.execute("exactly-once-file");

        assertThat(FAILURES).hasValue(2);
        List<String> expected =
                LongStream.range(0, RECORDS).mapToObj(ENCODER::encode).collect(Collectors.toList());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactlyElementsOf(expected);
        assertThat(TOLD).containsExactlyElementsOf(expected);
        assertThat(CommittedLinesFile.stagingDirectory(file)).isEmptyDirectory();
    }

    /**
     * Fails the first attempt three records after checkpoint 3 completed (lines of the next period
     * are staged, not committed) and the second attempt at record 247 (mid-period).
     */
    private static final class FailTwice extends RichMapFunction<Long, Long>
            implements CheckpointListener {
        private boolean checkpointCompleted;
        private int sinceCheckpoint;

        @Override
        public Long map(Long value) {
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            if (attempt == 0 && checkpointCompleted && ++sinceCheckpoint == 3) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("failure after a completed checkpoint");
            }
            if (attempt == 1 && value == 247) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("failure in the middle of a period");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= 3) {
                checkpointCompleted = true;
            }
        }
    }
}
