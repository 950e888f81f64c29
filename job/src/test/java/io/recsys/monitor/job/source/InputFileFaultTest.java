package io.recsys.monitor.job.source;

import static io.recsys.monitor.job.source.InputFileFault.GONE;
import static io.recsys.monitor.job.source.InputFileFault.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.job.source.InputFileFault.Kind;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class InputFileFaultTest {

    @Test
    void aFileThatIsGoneVanishedWhateverWasThrown() {
        assertThat(InputFileFault.classify(null, GONE, 10)).isEqualTo(Kind.VANISHED);
        assertThat(InputFileFault.classify(new EOFException(), GONE, 10)).isEqualTo(Kind.VANISHED);
        assertThat(InputFileFault.classify(new FileNotFoundException("x"), UNKNOWN, 10))
                .isEqualTo(Kind.VANISHED);
    }

    @Test
    void aFileShorterThanListedShrankEvenWhenItsCompressedDataEndsEarly() {
        assertThat(InputFileFault.classify(null, 5, 10)).isEqualTo(Kind.SHRUNK);
        assertThat(InputFileFault.classify(new EOFException(), 5, 10)).isEqualTo(Kind.SHRUNK);
    }

    @Test
    void compressedDataThatEndsEarlyOrIsNotCompressedIsCorrupt() {
        assertThat(InputFileFault.classify(new EOFException("Unexpected end"), 10, 10))
                .isEqualTo(Kind.CORRUPT);
        assertThat(InputFileFault.classify(new ZipException("Not in GZIP format"), 10, 10))
                .isEqualTo(Kind.CORRUPT);
        assertThat(InputFileFault.classify(new IOException("codec", new EOFException()), 10, 10))
                .isEqualTo(Kind.CORRUPT);
    }

    @Test
    void otherFailuresAreLeftToTheRestartStrategyAndNoFailureOnAWholeFileIsNoFault() {
        assertThat(InputFileFault.classify(new IOException("Input/output error"), 10, 10))
                .isEqualTo(Kind.OTHER);
        assertThat(InputFileFault.classify(null, 10, 10)).isNull();
        assertThat(InputFileFault.classify(null, 12, 10)).as("grown: appended to").isNull();
        assertThat(InputFileFault.classify(null, UNKNOWN, 10)).isNull();
    }

    @Test
    void onlyAVanishedOrShrunkFileOfAFollowedDirectoryIsSkipped() {
        assertThat(InputFileFault.skippable(Kind.VANISHED, true)).isTrue();
        assertThat(InputFileFault.skippable(Kind.SHRUNK, true)).isTrue();
        assertThat(InputFileFault.skippable(Kind.CORRUPT, true)).isFalse();
        assertThat(InputFileFault.skippable(Kind.VANISHED, false)).isFalse();
        assertThat(InputFileFault.skippable(Kind.SHRUNK, false)).isFalse();
    }

    @Test
    void theDescriptionNamesTheFileAndTheFault() {
        assertThat(InputFileFault.describe(Kind.CORRUPT, "/in/a.gz", new EOFException()))
                .isEqualTo(
                        "input file /in/a.gz is corrupt or truncated: its compressed data ends early");
        assertThat(
                        InputFileFault.describe(
                                Kind.CORRUPT, "/in/a.gz", new ZipException("Not in GZIP format")))
                .isEqualTo(
                        "input file /in/a.gz is corrupt or truncated: its compressed data is not"
                                + " valid (Not in GZIP format)");
        assertThat(InputFileFault.describe(Kind.VANISHED, "/in/a", null)).contains("/in/a");
    }
}
