package io.recsys.monitor.job.source;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the input files that are complete: in a directory, a file whose name starts with {@code .}
 * or {@code _} or ends in {@code .tmp} is still being written, and is read only once its producer
 * renames it (atomically, in the same directory). Without this rule the file source of a followed
 * directory reads a file the moment it appears, reads what has been written so far, and never comes
 * back to it: the rest is lost.
 *
 * <p>A path given explicitly is read whatever its name. A followed directory that is gone (deleted
 * or unmounted while the job runs) lists nothing and is reported, instead of failing the job on
 * every listing, which Flink would restart forever.
 */
public final class CompleteFiles extends NonSplittingRecursiveEnumerator {
    private static final Logger LOG = LoggerFactory.getLogger(CompleteFiles.class);

    private final boolean follow;

    /**
     * @param follow whether the paths are followed directories, which may be gone for a while; in a
     *     bounded replay a missing input ends the run
     */
    public CompleteFiles(boolean follow) {
        super(CompleteFiles::isComplete);
        this.follow = follow;
    }

    /** Whether a file or directory of this name is complete, by the producers' naming rule. */
    public static boolean isComplete(Path path) {
        String name = path.getName();
        return !(name.startsWith(".") || name.startsWith("_") || name.endsWith(".tmp"));
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits)
            throws IOException {
        ArrayList<FileSourceSplit> splits = new ArrayList<>();
        for (Path path : paths) {
            FileSystem fs = path.getFileSystem();
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                missing(path, e);
                continue;
            }
            if (status.isDir()) {
                FileStatus[] entries;
                try {
                    entries = fs.listStatus(path);
                } catch (FileNotFoundException e) {
                    missing(path, e);
                    continue;
                }
                for (FileStatus entry : entries == null ? new FileStatus[0] : entries) {
                    try {
                        addSplitsForPath(entry, fs, splits);
                    } catch (FileNotFoundException e) {
                        // A subdirectory deleted between two listings: nothing to read in it.
                        LOG.warn("event=input_missing path=\"{}\"", entry.getPath());
                    }
                }
            } else {
                convertToSourceSplits(status, fs, splits);
            }
        }
        return splits;
    }

    private void missing(Path path, FileNotFoundException e) {
        if (!follow) {
            throw new UnrecoverableFailure("input " + path + " does not exist", e);
        }
        LOG.warn("event=input_missing path=\"{}\"", path);
    }
}
