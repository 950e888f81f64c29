package io.recsys.monitor.job.source;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads input files through another format and decides what a file that cannot be read means, where
 * Flink's file source opens and decompresses it (its {@code StreamFormatAdapter}): any exception
 * there fails the task, and Flink restarts it to fail again on the same file, forever.
 *
 * <ul>
 *   <li>Compressed data that is corrupt or ends early ends the run with an {@link
 *       UnrecoverableFailure} naming the file: no restart reads it differently.
 *   <li>A file deleted or shortened after it was listed ends a bounded replay the same way (its
 *       input is not what was asked for); in a followed directory it is reported with a structured
 *       warning ({@code event=input_file_skipped}) and skipped, and the job reads the next file.
 *   <li>Any other {@link IOException} is left to the restart strategy: it may be transient.
 * </ul>
 */
public final class CompleteFileFormat<T> implements BulkFormat<T, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CompleteFileFormat.class);

    private final BulkFormat<T, FileSourceSplit> files;
    private final boolean follow;

    /**
     * @param files the format that reads a file
     * @param follow whether the files come from a followed directory, where a file that vanishes or
     *     shrinks is skipped instead of ending the run
     */
    public CompleteFileFormat(BulkFormat<T, FileSourceSplit> files, boolean follow) {
        this.files = files;
        this.follow = follow;
    }

    @Override
    public Reader<T> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return open(split, () -> files.createReader(config, split));
    }

    @Override
    public Reader<T> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return open(split, () -> files.restoreReader(config, split));
    }

    @Override
    public boolean isSplittable() {
        return files.isSplittable();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return files.getProducedType();
    }

    private interface Opener<T> {
        Reader<T> open() throws IOException;
    }

    private Reader<T> open(FileSourceSplit split, Opener<T> opener) throws IOException {
        if (fault(split, null)) {
            return new Skipped<>();
        }
        try {
            return new Checked(opener.open(), split);
        } catch (IOException e) {
            if (fault(split, e)) {
                return new Skipped<>();
            }
            throw e;
        }
    }

    /**
     * Whether {@code split}'s file is to be skipped; throws when the fault ends the run; false when
     * there is no fault or one to leave to the restart strategy.
     */
    private boolean fault(FileSourceSplit split, IOException failure) {
        InputFileFault.Kind kind =
                InputFileFault.classify(failure, currentSize(split.path()), split.fileSize());
        if (kind == null || kind == InputFileFault.Kind.OTHER) {
            return false;
        }
        String file = split.path().toString();
        if (InputFileFault.skippable(kind, follow)) {
            LOG.warn(
                    "event=input_file_skipped reason={} path=\"{}\" listed_bytes={}",
                    kind.name().toLowerCase(java.util.Locale.ROOT),
                    file,
                    split.fileSize());
            return true;
        }
        throw new UnrecoverableFailure(InputFileFault.describe(kind, file, failure), failure);
    }

    private static long currentSize(Path path) {
        try {
            return path.getFileSystem().getFileStatus(path).getLen();
        } catch (FileNotFoundException e) {
            return InputFileFault.GONE;
        } catch (IOException e) {
            return InputFileFault.UNKNOWN;
        }
    }

    /** The reader of a file that is read on, until a fault skips the rest of it. */
    private final class Checked implements Reader<T> {
        private final Reader<T> reader;
        private final FileSourceSplit split;

        Checked(Reader<T> reader, FileSourceSplit split) {
            this.reader = reader;
            this.split = split;
        }

        @Override
        public RecordIterator<T> readBatch() throws IOException {
            try {
                RecordIterator<T> batch = reader.readBatch();
                if (batch == null
                        && InputFileFault.classify(
                                        null, currentSize(split.path()), split.fileSize())
                                == InputFileFault.Kind.SHRUNK) {
                    // A plain file cut short while read ends early without an error: what was
                    // read is kept and the loss reported. A file deleted once read is no loss.
                    fault(split, null);
                }
                return batch;
            } catch (IOException e) {
                if (fault(split, e)) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** The reader of a skipped file: nothing to read. */
    private static final class Skipped<T> implements Reader<T> {
        @Override
        public RecordIterator<T> readBatch() {
            return null;
        }

        @Override
        public void close() {}
    }
}
