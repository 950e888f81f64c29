package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.failure.UnrecoverableFailure;
import io.recsys.monitor.model.RawLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file source does with a file that cannot be read whole: the split is built as the
 * enumerator would have listed it, and the file changed afterwards.
 */
class CompleteFileFormatTest {
    private static final int LINES = 20_000;

    @TempDir Path dir;

    @Test
    void aWholeFileIsReadWhole() throws Exception {
        Path file = gzip("events.jsonl.gz");
        assertThat(read(format(false), split(file))).hasSize(LINES);
    }

    @Test
    void truncatedCompressedDataEndsTheRunNamingTheFileFollowedOrNot() throws Exception {
        Path file = gzip("events.jsonl.gz");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        for (boolean follow : new boolean[] {false, true}) {
            assertThatThrownBy(() -> read(format(follow), split(file)))
                    .isInstanceOf(UnrecoverableFailure.class)
                    .hasMessage(
                            "input file "
                                    + split(file).path()
                                    + " is corrupt or truncated: its compressed data ends early");
        }
    }

    @Test
    void aFileNamedCompressedThatIsNotEndsTheRun() throws Exception {
        Path file = Files.writeString(dir.resolve("events.jsonl.gz"), "{\"a\":1}\n");
        assertThatThrownBy(() -> read(format(false), split(file)))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("Not in GZIP format");
    }

    @Test
    void aFileDeletedAfterItWasListedIsSkippedWhenFollowedAndEndsAReplay() throws Exception {
        Path file = plain("events.jsonl");
        FileSourceSplit listed = split(file);
        Files.delete(file);
        assertThat(read(format(true), listed)).isEmpty();
        assertThatThrownBy(() -> read(format(false), listed))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessage("input file " + listed.path() + " was deleted before it was read");
    }

    @Test
    void aFileShorterThanListedIsSkippedWhenFollowedAndEndsAReplay() throws Exception {
        Path file = gzip("events.jsonl.gz");
        FileSourceSplit listed = split(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 3));
        // Not read as corrupt: the file changed under the reader.
        assertThat(read(format(true), listed)).isEmpty();
        assertThatThrownBy(() -> read(format(false), listed))
                .isInstanceOf(UnrecoverableFailure.class)
                .hasMessageContaining("shrank");
    }

    @Test
    void aPlainFileCutWhileReadKeepsWhatWasReadWhenFollowed() throws Exception {
        Path file = plain("events.jsonl");
        FileSourceSplit listed = split(file);
        Configuration smallBatches = new Configuration();
        smallBatches.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse("64kb"));
        BulkFormat.Reader<RawLine> reader = format(true).createReader(smallBatches, listed);
        List<RawLine> lines = new ArrayList<>(drain(reader.readBatch()));
        // Shortened after the first batch: the rest of the file is gone, not an error.
        byte[] bytes = Files.readAllBytes(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes, 0, bytes.length / 2);
        }
        BulkFormat.RecordIterator<RawLine> batch;
        while ((batch = reader.readBatch()) != null) {
            lines.addAll(drain(batch));
        }
        reader.close();
        assertThat(lines.size()).isGreaterThan(0).isLessThan(LINES);
    }

    private static CompleteFileFormat<RawLine> format(boolean follow) {
        return new CompleteFileFormat<>(
                new StreamFormatAdapter<>(new JsonLinesFormat(1000, 100)), follow);
    }

    private Path plain(String name) throws IOException {
        return Files.write(dir.resolve(name), content());
    }

    private Path gzip(String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content());
        }
        return file;
    }

    private static byte[] content() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append("{\"request_id\":\"r").append(i).append("\"}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The split the enumerator lists for the file as it is now. */
    private static FileSourceSplit split(Path file) throws IOException {
        long size = Files.size(file);
        return new FileSourceSplit(
                "0",
                new org.apache.flink.core.fs.Path(file.toUri()),
                0,
                size,
                Files.getLastModifiedTime(file).toMillis(),
                size);
    }

    private static List<RawLine> read(CompleteFileFormat<RawLine> format, FileSourceSplit split)
            throws IOException {
        List<RawLine> lines = new ArrayList<>();
        try (BulkFormat.Reader<RawLine> reader = format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<RawLine> batch;
            while ((batch = reader.readBatch()) != null) {
                lines.addAll(drain(batch));
            }
        }
        return lines;
    }

    private static List<RawLine> drain(BulkFormat.RecordIterator<RawLine> batch) {
        List<RawLine> lines = new ArrayList<>();
        RecordAndPosition<RawLine> next;
        while ((next = batch.next()) != null) {
            lines.add(next.getRecord());
        }
        batch.releaseBatch();
        return lines;
    }
}
