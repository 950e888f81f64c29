package io.recsys.monitor.job.lifecycle;

import io.recsys.monitor.job.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one run on its output directory: an OS file lock on {@code run.lock} in it, held for
 * the life of the process. The operating system releases it when the process ends however it ends
 * (also after {@code kill -9}), so a lock is never stale. A second run on the same directory is
 * refused before it reads, deletes or logs anything there.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name in the output directory. */
    public static final String FILE = "run.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code outputDir}, creating the directory when it does not exist.
     *
     * @throws UserError when the path is not a directory or another run holds the lock
     */
    public static OutputLock acquire(Path outputDir) {
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw new UserError(
                    "output path " + outputDir.toAbsolutePath() + " is not a directory");
        }
        Path file = outputDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(outputDir);
            if (Files.isSymbolicLink(file)) {
                throw new UserError("lock file " + file.toAbsolutePath() + " is a symbolic link");
            }
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new UserError(
                        "output directory "
                                + outputDir.toAbsolutePath()
                                + " is in use by another run"
                                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                                + "; stop it or choose another --output");
            }
            // The holder's pid, for the message of a refused run; the lock itself is the claim.
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(true);
            return new OutputLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UserError(
                    "cannot use output directory "
                            + outputDir.toAbsolutePath()
                            + ": "
                            + e.getClass().getSimpleName()
                            + " "
                            + e.getMessage(),
                    e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        String pid = text.trim();
        return pid.matches("[0-9]{1,19}") ? pid : "";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing with the cause that matters.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
