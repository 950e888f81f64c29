package io.recsys.monitor.sinks.local;

import io.recsys.monitor.failure.UnrecoverableFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

/**
 * The record of which checkpoints' lines an output file holds: one entry (checkpoint id, file
 * length after its lines were appended) per commit, in checkpoint order, kept in a small text file
 * next to the output ({@code .metrics.jsonl.commits}) and replaced atomically on every change.
 *
 * <p>It answers the two questions of an exactly-once restart: was this checkpoint's lines already
 * appended ({@link #isCommitted}), and how long was the file when checkpoint {@code c} was taken
 * ({@link #lengthAt}), so that a restore from {@code c} can cut off everything a later attempt or a
 * torn write left behind.
 *
 * <p>The log is bounded to {@link #MAX_ENTRIES} entries. When an entry is dropped it becomes the
 * <em>floor</em>: the file length at it is still known, and so is the length at every checkpoint
 * between it and the oldest kept entry (nothing was committed in between). A restore from a
 * checkpoint older than the floor cannot be answered and fails with a message saying so, instead of
 * guessing; with one entry per non-empty checkpoint the bound reaches back {@value #MAX_ENTRIES}
 * checkpoints (almost three hours at a 10 s interval), further than any retained checkpoint.
 */
final class CommitLog {

    /** Entries kept besides the floor; each is one short line, so the file stays a few KB. */
    static final int MAX_ENTRIES = 1024;

    private static final String FLOOR = "floor";

    private final Path path;
    private final Deque<Entry> entries;
    private Entry floor;

    private CommitLog(Path path, Deque<Entry> entries, Entry floor) {
        this.path = path;
        this.entries = entries;
        this.floor = floor;
    }

    /** One commit: the lines of {@code checkpointId} end at byte {@code length} of the file. */
    static final class Entry {
        private final long checkpointId;
        private final long length;

        Entry(long checkpointId, long length) {
            this.checkpointId = checkpointId;
            this.length = length;
        }

        long checkpointId() {
            return checkpointId;
        }

        long length() {
            return length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry
                    && ((Entry) other).checkpointId == checkpointId
                    && ((Entry) other).length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(checkpointId) * 31 + Long.hashCode(length);
        }

        @Override
        public String toString() {
            return checkpointId + " " + length;
        }
    }

    /**
     * The log stored at {@code path}, or an empty one if there is none.
     *
     * @throws UnrecoverableFailure if it is damaged
     */
    static CommitLog read(Path path) throws IOException {
        Deque<Entry> entries = new ArrayDeque<>();
        Entry floor = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return new CommitLog(path, entries, null);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            try {
                if (parts.length == 3 && FLOOR.equals(parts[0])) {
                    floor = new Entry(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                } else if (parts.length == 2) {
                    entries.add(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
                } else {
                    throw new NumberFormatException("expected 'id length'");
                }
            } catch (NumberFormatException e) {
                throw new UnrecoverableFailure(
                        "Commit log " + path + " is damaged at line '" + line + "'", e);
            }
        }
        return new CommitLog(path, entries, floor);
    }

    /** Whether a log file exists at {@code path}. */
    static boolean exists(Path path) {
        return Files.exists(path);
    }

    /** An empty log, not yet stored. */
    static CommitLog empty(Path path) {
        return new CommitLog(path, new ArrayDeque<>(), null);
    }

    /**
     * A log that starts with everything up to {@code checkpointId} ending at byte {@code length}.
     */
    static CommitLog startingAt(Path path, long checkpointId, long length) {
        return new CommitLog(path, new ArrayDeque<>(), new Entry(checkpointId, length));
    }

    /** The id of the last commit (or of the floor), if any. */
    OptionalLong lastCheckpointId() {
        Entry last = last();
        return last == null ? OptionalLong.empty() : OptionalLong.of(last.checkpointId());
    }

    /** The file length after the last commit: what the file holds when nothing is torn. */
    long committedLength() {
        Entry last = last();
        return last == null ? 0 : last.length();
    }

    /**
     * Whether the lines of {@code checkpointId} are in the file. Commits happen in checkpoint
     * order, so every id up to the last one is, including those the bound dropped.
     */
    boolean isCommitted(long checkpointId) {
        Entry last = last();
        return last != null && checkpointId <= last.checkpointId();
    }

    /**
     * The file length when checkpoint {@code checkpointId} was taken: that of the last commit whose
     * id is not above it, or 0 if the log is complete and there was none.
     *
     * @throws UnrecoverableFailure if the bound dropped the entries needed to know it
     */
    long lengthAt(long checkpointId) {
        Entry found = null;
        for (Entry entry : entries) {
            if (entry.checkpointId() > checkpointId) {
                break;
            }
            found = entry;
        }
        if (found != null) {
            return found.length();
        }
        if (floor == null) {
            return 0;
        }
        if (floor.checkpointId() <= checkpointId) {
            return floor.length();
        }
        throw new UnrecoverableFailure(
                "Cannot resume "
                        + path
                        + " from checkpoint "
                        + checkpointId
                        + ": its commit log reaches back to checkpoint "
                        + floor.checkpointId()
                        + " only; start with a new output directory");
    }

    /** Forgets every commit after {@code checkpointId}. */
    void dropAfter(long checkpointId) {
        while (!entries.isEmpty() && entries.peekLast().checkpointId() > checkpointId) {
            entries.removeLast();
        }
        if (floor != null && floor.checkpointId() > checkpointId) {
            floor = null;
        }
    }

    /** Adds a commit; the oldest entry becomes the floor once there are too many. */
    void add(long checkpointId, long length) {
        if (isCommitted(checkpointId)) {
            throw new IllegalArgumentException(
                    "checkpoint " + checkpointId + " is not after " + lastCheckpointId());
        }
        entries.addLast(new Entry(checkpointId, length));
        while (entries.size() > MAX_ENTRIES) {
            floor = entries.removeFirst();
        }
    }

    /** The entries in checkpoint order, the floor first. */
    List<Entry> entries() {
        List<Entry> all = new ArrayList<>(entries.size() + 1);
        if (floor != null) {
            all.add(floor);
        }
        all.addAll(entries);
        return all;
    }

    /**
     * Stores the log: written to a temporary file, fsynced, renamed over the old one, so that a
     * crash leaves either the old log or the new one, never a mix.
     */
    void write() throws IOException {
        StringBuilder text = new StringBuilder();
        if (floor != null) {
            text.append(FLOOR)
                    .append(' ')
                    .append(floor.checkpointId())
                    .append(' ')
                    .append(floor.length())
                    .append('\n');
        }
        for (Entry entry : entries) {
            text.append(entry.checkpointId()).append(' ').append(entry.length()).append('\n');
        }
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel channel =
                FileChannel.open(
                        temporary,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(
                temporary,
                path,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private Entry last() {
        return entries.isEmpty() ? floor : entries.peekLast();
    }
}
