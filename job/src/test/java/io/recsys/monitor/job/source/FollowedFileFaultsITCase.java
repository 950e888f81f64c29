package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.RawLine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A followed directory whose files change between the listing and the reading, in Flink's own file
 * source: the enumerator of this test deletes or truncates a file right after listing it, before
 * any reader opens it. Those files are skipped, the job keeps following, and the next file is read
 * whole.
 */
class FollowedFileFaultsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @TempDir Path dir;

    @Test
    void aFileThatVanishesOrShrinksAfterListingIsSkippedAndTheNextIsRead() throws Exception {
        Path input = Files.createDirectories(dir.resolve("in"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        FileSource<RawLine> source =
                FileSource.forBulkFileFormat(
                                new CompleteFileFormat<>(
                                        new StreamFormatAdapter<>(new JsonLinesFormat(1000, 100)),
                                        true),
                                new org.apache.flink.core.fs.Path(input.toUri()))
                        .setFileEnumerator(ChangedAfterListing::new)
                        .monitorContinuously(Duration.ofMillis(100))
                        .build();
        try (CloseableIterator<RawLine> lines =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "followed")
                        .executeAndCollect("followed-file-faults")) {
            drop(input, "vanishes.jsonl", "vanished");
            drop(input, "shrinks.jsonl", "shrunk");
            drop(input, "whole.jsonl", "whole");

            List<String> read = new ArrayList<>();
            while (read.size() < 100) {
                read.add(new String(lines.next().bytes, StandardCharsets.UTF_8));
            }
            // The files were listed in one pass or in several; every read line is of the last.
            assertThat(read).allSatisfy(line -> assertThat(line).startsWith("whole "));
            assertThat(read).doesNotHaveDuplicates();
            assertThat(Files.exists(input.resolve("vanishes.jsonl"))).isFalse();
            assertThat(SHRUNK).isTrue();
            assertThat(Files.size(input.resolve("shrinks.jsonl"))).isPositive();
        }
    }

    /** Writes 100 lines under a temporary name and renames the file into the directory. */
    private static void drop(Path input, String name, String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add(prefix + " " + i);
        }
        Path staged = Files.write(input.resolve("." + name + ".tmp"), lines);
        Files.move(staged, input.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Lists as the job does, then deletes or truncates the files named for it. */
    private static final AtomicBoolean SHRUNK = new AtomicBoolean();

    private static final class ChangedAfterListing implements FileEnumerator {
        private final CompleteFiles files = new CompleteFiles(true);

        @Override
        public Collection<FileSourceSplit> enumerateSplits(
                org.apache.flink.core.fs.Path[] paths, int minDesiredSplits) throws IOException {
            Collection<FileSourceSplit> splits = files.enumerateSplits(paths, minDesiredSplits);
            for (FileSourceSplit split : splits) {
                Path file = Paths.get(split.path().toUri());
                if (file.getFileName().toString().equals("vanishes.jsonl")) {
                    Files.deleteIfExists(file);
                } else if (file.getFileName().toString().equals("shrinks.jsonl")
                        && SHRUNK.compareAndSet(false, true)) {
                    // Once: every listing lists it again, and the source drops it as processed.
                    try (RandomAccessFile cut = new RandomAccessFile(file.toFile(), "rw")) {
                        cut.setLength(split.fileSize() / 2);
                    }
                }
            }
            return splits;
        }
    }
}
