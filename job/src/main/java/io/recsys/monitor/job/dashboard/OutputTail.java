package io.recsys.monitor.job.dashboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines appended to one output file since the last read. Only whole lines are returned (a line
 * is complete at its newline). A file shorter than what was read (a fresh run replaced it, or a
 * resume cut it back to its checkpoint) is read again from its start, and {@link #restarted()} says
 * so, because the lines read before may no longer be in it.
 */
final class OutputTail {
    private final Path file;
    private long offset;
    private boolean restarted;

    OutputTail(Path file) {
        this.file = file;
    }

    /** The complete lines added since the last call; none when the file does not exist yet. */
    List<String> newLines() throws IOException {
        restarted = false;
        List<String> lines = new ArrayList<>();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return lines;
        }
        if (size < offset) {
            offset = 0;
            restarted = true;
        }
        if (size == offset) {
            return lines;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, 64L << 20));
            channel.read(buffer, offset);
            byte[] bytes = buffer.array();
            int limit = buffer.position();
            int start = 0;
            for (int i = 0; i < limit; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            offset += start;
        }
        return lines;
    }

    /** Reads the file from its start at the next call. */
    void reset() {
        offset = 0;
    }

    /** Whether the last {@link #newLines()} began again at the start of a shorter file. */
    boolean restarted() {
        return restarted;
    }
}
