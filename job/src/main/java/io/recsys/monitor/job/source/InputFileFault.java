package io.recsys.monitor.job.source;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

/**
 * What went wrong with one input file, told from what reading it threw and what the file system
 * says of it now. Only a fault that a retry cannot change ends the run or skips the file; anything
 * else ({@link Kind#OTHER}) is left to Flink's restart strategy, as a full disk or a network file
 * system that hiccups may heal.
 */
public final class InputFileFault {
    /** The file's current size when it no longer exists. */
    public static final long GONE = -1;

    /** The current size when the file system could not say. */
    public static final long UNKNOWN = Long.MAX_VALUE;

    /** The kinds of fault, in the order they are told apart. */
    public enum Kind {
        /** The file was deleted after it was listed. */
        VANISHED,
        /** The file is now shorter than when it was listed: truncated or rewritten. */
        SHRUNK,
        /** Compressed data that ends early or is not what its extension says. */
        CORRUPT,
        /** Anything else: perhaps transient, left to the restart strategy. */
        OTHER
    }

    private InputFileFault() {}

    /**
     * The kind of fault.
     *
     * @param failure what reading or opening threw; null when nothing was thrown
     * @param currentSize the file's size now, {@link #GONE} or {@link #UNKNOWN}
     * @param listedSize the file's size when the enumerator listed it
     * @return the kind, or null when there is no fault (nothing thrown, the file no shorter)
     */
    public static Kind classify(Throwable failure, long currentSize, long listedSize) {
        if (currentSize == GONE
                || has(failure, FileNotFoundException.class, NoSuchFileException.class)) {
            return Kind.VANISHED;
        }
        if (currentSize < listedSize) {
            return Kind.SHRUNK;
        }
        if (failure == null) {
            return null;
        }
        // GZIPInputStream throws EOFException for data that ends early and ZipException for a
        // bad header or checksum; the other codecs throw EOFException or an IOException of theirs
        // caused by one.
        if (has(failure, EOFException.class, ZipException.class)) {
            return Kind.CORRUPT;
        }
        return Kind.OTHER;
    }

    /** Whether a fault of {@code kind} is skipped (a followed directory) or ends the run. */
    public static boolean skippable(Kind kind, boolean follow) {
        return follow && (kind == Kind.VANISHED || kind == Kind.SHRUNK);
    }

    /** The one line that says what is wrong with {@code file}, for the user. */
    public static String describe(Kind kind, String file, Throwable failure) {
        switch (kind) {
            case VANISHED:
                return "input file " + file + " was deleted before it was read";
            case SHRUNK:
                return "input file " + file + " shrank while it was read (truncated or rewritten)";
            case CORRUPT:
                return "input file "
                        + file
                        + " is corrupt or truncated: its compressed data "
                        + (failure != null && has(failure, ZipException.class)
                                ? "is not valid (" + cause(failure, ZipException.class) + ")"
                                : "ends early");
            default:
                return "input file " + file + " cannot be read: " + failure;
        }
    }

    @SafeVarargs
    private static boolean has(Throwable failure, Class<? extends IOException>... types) {
        for (Class<? extends IOException> type : types) {
            if (cause(failure, type) != null) {
                return true;
            }
        }
        return false;
    }

    private static String cause(Throwable failure, Class<? extends IOException> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return String.valueOf(t.getMessage());
            }
        }
        return null;
    }
}
