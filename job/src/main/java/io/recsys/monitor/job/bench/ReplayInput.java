package io.recsys.monitor.job.bench;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.MonitorSources;
import io.recsys.monitor.job.source.RawInput;
import io.recsys.monitor.model.InputRecord;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bench's input: raw JSON lines generated before the run and held in memory, replayed as fast
 * as the job takes them, then parsed by the job's own {@link RawInput} chain. The lines stay in
 * this JVM (a registry keyed by run id) and only the key travels with the job graph, so the input
 * costs no serialization and the source is never the bottleneck; it therefore runs only on a
 * mini-cluster in the same JVM, which is what the bench uses.
 *
 * <p>Subtask k of p replays lines k, k + p, k + 2p, ...: every subtask sees a subsequence of the
 * generator's event-time order, like a shard of a partitioned stream, so the watermarks of the
 * subtasks advance together. The replayed count is a multiple of p (see {@link #replayable}).
 *
 * <p>So that every run covers at least one completed checkpoint, the last {@code p} lines wait
 * until a checkpoint of the run has completed when none has yet (only short runs ever wait; {@link
 * Progress#heldNanos()} says how long).
 */
public final class ReplayInput implements MonitorSources {
    private static final Map<String, Progress> RUNS = new ConcurrentHashMap<>();

    private final String runId;
    private final int parallelism;
    private final MonitorConfig config;

    private ReplayInput(String runId, int parallelism, MonitorConfig config) {
        this.runId = runId;
        this.parallelism = parallelism;
        this.config = config;
    }

    /** The number of lines of {@code available} a replay at {@code parallelism} sends. */
    public static int replayable(int available, int parallelism) {
        return available - available % parallelism;
    }

    /**
     * Registers {@code lines} for one run at {@code parallelism}; {@link #release()} forgets them.
     *
     * @throws IllegalArgumentException when the count of lines is not a positive multiple of the
     *     parallelism
     */
    public static ReplayInput register(String[] lines, int parallelism, MonitorConfig config) {
        if (lines.length == 0 || lines.length % parallelism != 0) {
            throw new IllegalArgumentException(
                    "the replayed lines must be a positive multiple of the parallelism ("
                            + parallelism
                            + "), got "
                            + lines.length);
        }
        String runId = UUID.randomUUID().toString();
        RUNS.put(runId, new Progress(lines, parallelism));
        return new ReplayInput(runId, parallelism, config);
    }

    /** What the run has done so far. */
    public Progress progress() {
        return progress(runId);
    }

    /** Forgets the run's lines. */
    public void release() {
        RUNS.remove(runId);
    }

    @Override
    public DataStream<InputRecord> input(StreamExecutionEnvironment env) {
        DataStream<String> raw =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        new Lines(runId),
                                        progress().lines.length,
                                        new HoldLastLines(runId),
                                        Types.STRING),
                                WatermarkStrategy.noWatermarks(),
                                "Replay of pre-generated events")
                        .setParallelism(parallelism)
                        .uid("source-replay");
        return RawInput.parse(raw, "bench", "bench", config);
    }

    private static Progress progress(String runId) {
        Progress progress = RUNS.get(runId);
        if (progress == null) {
            throw new IllegalStateException(
                    "no lines registered for replay " + runId + " in this JVM");
        }
        return progress;
    }

    /**
     * The position in the generator's order of the {@code index}-th number of the data generator's
     * sequence: its number source gives subtask k the contiguous range [k q, (k + 1) q) with q =
     * count / p, which this maps to lines k, k + p, k + 2p, ...
     */
    static int position(long index, int count, int parallelism) {
        int share = count / parallelism;
        return (int) (index % share) * parallelism + (int) (index / share);
    }

    /** A run's lines and how far its replay has come. */
    public static final class Progress {
        final String[] lines;
        final int parallelism;
        final AtomicLong emitted = new AtomicLong();
        final AtomicLong firstRecordNanos = new AtomicLong();
        final AtomicLong holdStartNanos = new AtomicLong();
        final AtomicLong heldNanos = new AtomicLong();
        final AtomicLong lastLineMillis = new AtomicLong();
        final CompletableFuture<Void> firstCheckpoint = new CompletableFuture<>();

        Progress(String[] lines, int parallelism) {
            this.lines = lines;
            this.parallelism = parallelism;
        }

        /** {@link System#nanoTime()} when the first line was replayed; 0 before. */
        public long firstRecordNanos() {
            return firstRecordNanos.get();
        }

        /** Lines replayed so far. */
        public long emitted() {
            return emitted.get();
        }

        /** How long the last lines waited for the first completed checkpoint. */
        public long heldNanos() {
            return heldNanos.get();
        }

        /**
         * {@link System#currentTimeMillis()} (the clock of Flink's checkpoint timestamps) when the
         * last line was replayed; 0 before.
         */
        public long lastLineMillis() {
            return lastLineMillis.get();
        }

        String line(long index) {
            long before = emitted.getAndIncrement();
            if (before == 0) {
                firstRecordNanos.compareAndSet(0, System.nanoTime());
            }
            if (before == lines.length - 1) {
                lastLineMillis.set(System.currentTimeMillis());
            }
            return lines[position(index, lines.length, parallelism)];
        }

        boolean mustHold() {
            return !firstCheckpoint.isDone() && emitted.get() >= lines.length - parallelism;
        }

        void checkpointCompleted() {
            if (!firstCheckpoint.isDone()) {
                long start = holdStartNanos.get();
                if (start != 0) {
                    heldNanos.compareAndSet(0, System.nanoTime() - start);
                }
                firstCheckpoint.complete(null);
            }
        }
    }

    /** Line at a sequence index; holds only the run id, never the lines. */
    static final class Lines implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final String runId;
        private transient Progress progress;

        Lines(String runId) {
            this.runId = runId;
        }

        @Override
        public String map(Long index) {
            if (progress == null) {
                progress = progress(runId);
            }
            return progress.line(index);
        }
    }

    /**
     * No rate limit, except that the run's last lines wait for its first completed checkpoint. The
     * wait is a future, not a blocked thread, so the source task keeps taking checkpoints.
     */
    static final class HoldLastLines implements RateLimiterStrategy {
        private static final long serialVersionUID = 1L;
        private final String runId;

        HoldLastLines(String runId) {
            this.runId = runId;
        }

        @Override
        public RateLimiter createRateLimiter(int parallelism) {
            Progress progress = progress(runId);
            CompletableFuture<Void> now = CompletableFuture.completedFuture(null);
            return new RateLimiter() {
                @Override
                public CompletionStage<Void> acquire() {
                    if (progress.mustHold()) {
                        progress.holdStartNanos.compareAndSet(0, System.nanoTime());
                        return progress.firstCheckpoint;
                    }
                    return now;
                }

                @Override
                public void notifyCheckpointComplete(long checkpointId) {
                    progress.checkpointCompleted();
                }
            };
        }
    }
}
