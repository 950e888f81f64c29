package io.recsys.monitor.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnicodeTextTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static int invalidAt(byte[] b) {
        return UnicodeText.invalidUtf8At(b, 0, b.length);
    }

    @Test
    void acceptsWellFormedUtf8OfEveryLength() {
        byte[] text =
                "a\u00e9\u20ac\uD83D\uDE00\u0000\uFFFF\uDBFF\uDFFF"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(invalidAt(text)).isEqualTo(UnicodeText.VALID);
        assertThat(invalidAt(new byte[0])).isEqualTo(UnicodeText.VALID);
    }

    @Test
    void rejectsWhatRfc3629Forbids() {
        // A lone continuation byte, an invalid lead, a truncated sequence at the end.
        assertThat(invalidAt(bytes('a', 0x80))).isEqualTo(1);
        assertThat(invalidAt(bytes(0xFF, 'a'))).isEqualTo(0);
        assertThat(invalidAt(bytes('a', 'b', 0xE2, 0x82))).isEqualTo(2);
        // Overlong forms of '/' and of NUL.
        assertThat(invalidAt(bytes(0xC0, 0xAF))).isEqualTo(0);
        assertThat(invalidAt(bytes(0xE0, 0x80, 0xAF))).isEqualTo(0);
        assertThat(invalidAt(bytes(0xF0, 0x80, 0x80, 0xAF))).isEqualTo(0);
        // An encoded surrogate (CESU-8) and a code point above U+10FFFF.
        assertThat(invalidAt(bytes('x', 0xED, 0xA0, 0x80))).isEqualTo(1);
        assertThat(invalidAt(bytes(0xF4, 0x90, 0x80, 0x80))).isEqualTo(0);
        // A lead byte followed by ASCII instead of a continuation byte.
        assertThat(invalidAt(bytes(0xC3, 0x28))).isEqualTo(0);
    }

    @Test
    void agreesWithTheJdkStrictDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int run = 0; run < 20_000; run++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int i = 0; i < b.length; i++) {
                // Mostly the bytes around the interesting boundaries.
                b[i] =
                        (byte)
                                (random.nextBoolean()
                                        ? 0x80 + random.nextInt(0x80)
                                        : random.nextInt(256));
            }
            boolean jdkValid;
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b));
                jdkValid = true;
            } catch (CharacterCodingException e) {
                jdkValid = false;
            }
            assertThat(invalidAt(b) == UnicodeText.VALID)
                    .as("bytes %s", java.util.Arrays.toString(b))
                    .isEqualTo(jdkValid);
        }
    }

    @Test
    void findsLoneSurrogatesButNotPairs() {
        assertThat(UnicodeText.loneSurrogateAt("ok \uD83D\uDE00")).isEqualTo(UnicodeText.VALID);
        assertThat(UnicodeText.loneSurrogateAt("\uD800v1")).isEqualTo(0);
        assertThat(UnicodeText.loneSurrogateAt("v1\uDC00")).isEqualTo(2);
        assertThat(UnicodeText.loneSurrogateAt("a\uDE00\uD83D")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateAt("ab\uD83D")).isEqualTo(2);
    }

    @Test
    void skipsOnlyALeadingUtf8Bom() {
        assertThat(UnicodeText.startsWithBom(bytes(0xEF, 0xBB, 0xBF, '{'), 4)).isTrue();
        assertThat(UnicodeText.startsWithBom(bytes(0xEF, 0xBB), 2)).isFalse();
        assertThat(UnicodeText.startsWithBom(bytes('{', 0xEF, 0xBB, 0xBF), 4)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v1\u0000",
                "\u001b[2J",
                "a\u007f",
                "\u0085x",
                "admin\u202Etxt",
                "zero\u200Bwidth",
                "\uFEFFbom",
                "tag\uDB40\uDC01"
            })
    void controlAndFormatCharactersCannotBeDimensions(String value) {
        assertThat(UnicodeText.dimensionProblem(value, 128))
                .startsWith("must not contain control or format characters, got U+");
        assertThat(UnicodeText.categoryProblem(value, 128)).isNotNull();
    }

    @Test
    void dimensionsAreBoundedWellFormedAndNotBlank() {
        assertThat(UnicodeText.dimensionProblem("ranker-v7", 128)).isNull();
        assertThat(UnicodeText.dimensionProblem("Zürich west \uD83D\uDE00", 128)).isNull();
        assertThat(UnicodeText.dimensionProblem("x".repeat(128), 128)).isNull();
        assertThat(UnicodeText.dimensionProblem("x".repeat(129), 128))
                .isEqualTo("must be at most 128 characters, got 129");
        assertThat(UnicodeText.dimensionProblem("\uD800v1", 128))
                .isEqualTo("must be well-formed UTF-16, got a lone surrogate U+D800 at index 0");
        assertThat(UnicodeText.dimensionProblem("", 128)).isEqualTo("must not be blank");
        assertThat(UnicodeText.dimensionProblem(" \u00a0\u3000", 128))
                .isEqualTo("must not be blank");
        // A category may be empty or blank: it is counted, never a dimension.
        assertThat(UnicodeText.categoryProblem("", 128)).isNull();
        assertThat(UnicodeText.categoryProblem("  ", 128)).isNull();
    }

    @Test
    void printableEscapesWhatWouldDriveATerminal() {
        assertThat(UnicodeText.printable("plain ASCII, é and \uD83D\uDE00"))
                .isEqualTo("plain ASCII, é and \uD83D\uDE00");
        assertThat(UnicodeText.printable("\u001b]0;owned\u0007\u001b[2J"))
                .isEqualTo("\\u001b]0;owned\\u0007\\u001b[2J");
        assertThat(UnicodeText.printable("a\u202Eb\u0000\n")).isEqualTo("a\\u202eb\\u0000\\u000a");
        assertThat(UnicodeText.printable("\uD800x\uDC00")).isEqualTo("\\ud800x\\udc00");
        assertThat(UnicodeText.printable("tag\uDB40\uDC01")).isEqualTo("tag\\udb40\\udc01");
        assertThat(UnicodeText.printable(null)).isNull();
    }
}
