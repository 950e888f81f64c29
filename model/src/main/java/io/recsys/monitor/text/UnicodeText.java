package io.recsys.monitor.text;

import java.nio.charset.StandardCharsets;

/**
 * The text rules every input and output of the job relies on, in one place: strict UTF-8 for bytes,
 * well-formed UTF-16 for strings, the characters that may not become a metric dimension, and a
 * printable form of any string for reasons and the console.
 *
 * <p>Why strict: Java decodes invalid UTF-8 into U+FFFD without a word, so a broken producer would
 * open new series (two replacement characters and "v1"); and a lone surrogate, though valid JSON as
 * an escape, is no character at all: it cannot be encoded as UTF-8 and made Flink's key hashing
 * disagree with itself.
 *
 * <p>Pure Java, no state.
 */
public final class UnicodeText {
    /** The UTF-8 encoding of U+FEFF, which some editors write at the start of a file. */
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** What {@link #invalidUtf8At} and {@link #loneSurrogateAt} return for valid input. */
    public static final int VALID = -1;

    private UnicodeText() {}

    /** Whether {@code bytes} start with the UTF-8 byte-order mark. */
    public static boolean startsWithBom(byte[] bytes, int length) {
        return length >= 3
                && bytes[0] == UTF8_BOM[0]
                && bytes[1] == UTF8_BOM[1]
                && bytes[2] == UTF8_BOM[2];
    }

    /** Length of the UTF-8 byte-order mark. */
    public static int bomLength() {
        return UTF8_BOM.length;
    }

    /**
     * The offset of the first byte in {@code bytes[from, to)} that is not part of well-formed UTF-8
     * (RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF, no truncated
     * sequence), or {@link #VALID}.
     */
    public static int invalidUtf8At(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                // 0x80-0xC1 (continuation or overlong lead) and 0xF5-0xFF never start a character.
                return i;
            }
            if (i + need >= to) {
                // A sequence cut off by the end of the input.
                return i;
            }
            int code = b & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                code = (code << 6) | (c & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return VALID;
    }

    /** The index of the first unpaired surrogate in {@code text}, or {@link #VALID}. */
    public static int loneSurrogateAt(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return VALID;
    }

    /**
     * Whether a code point may not appear in a dimension value or console text: controls (Unicode
     * category Cc: NUL, ESC, DEL, C1 controls) and format characters (Cf: the RTL override U+202E,
     * zero-width characters, the BOM), which a terminal or a dashboard would act on or hide.
     */
    public static boolean isControlOrFormat(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    /**
     * Why {@code value} cannot be a metric dimension, or {@code null} when it can: it must be at
     * most {@code maxChars} UTF-16 chars, well-formed, hold no control or format character, and not
     * be empty or blank (CloudWatch refuses a dimension value without a non-whitespace character).
     */
    public static String dimensionProblem(String value, int maxChars) {
        return problem(value, maxChars, false);
    }

    /**
     * Why {@code value} cannot be a category (a categorical feature's value, counted and named in
     * drift reports), or {@code null} when it can: the rules of {@link #dimensionProblem}, except
     * that an empty or blank category is a value like any other.
     */
    public static String categoryProblem(String value, int maxChars) {
        return problem(value, maxChars, true);
    }

    private static String problem(String value, int maxChars, boolean blankAllowed) {
        int n = value.length();
        if (n > maxChars) {
            return "must be at most " + maxChars + " characters, got " + n;
        }
        boolean blank = true;
        for (int i = 0; i < n; ) {
            char c = value.charAt(i);
            // Printable ASCII, nearly every value, needs no Unicode lookup.
            if (c > 0x20 && c < 0x7F) {
                blank = false;
                i++;
                continue;
            }
            int cp = value.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return "must be well-formed UTF-16, got a lone surrogate "
                        + codePoint(cp)
                        + " at index "
                        + i;
            }
            if (isControlOrFormat(cp)) {
                return "must not contain control or format characters, got "
                        + codePoint(cp)
                        + " at index "
                        + i;
            }
            if (blank && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                blank = false;
            }
            i += Character.charCount(cp);
        }
        if (blank && !blankAllowed) {
            return "must not be blank";
        }
        return null;
    }

    /**
     * {@code text} with every control or format character and every lone surrogate written as a
     * Java/JSON escape (backslash, u, four hex digits: ESC becomes the six characters <code>
     * &#92;u001b</code>), so that printing it cannot drive a terminal and encoding it cannot fail.
     * Returns {@code text} itself when there is nothing to escape.
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int first = firstUnprintable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + 16);
        out.append(text, 0, first);
        for (int i = first; i < n; ) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(i + 1));
                if (isControlOrFormat(cp)) {
                    out.append(hex(c)).append(hex(text.charAt(i + 1)));
                } else {
                    out.append(c).append(text.charAt(i + 1));
                }
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c) || isControlOrFormat(c)) {
                out.append(hex(c));
            } else {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    private static int firstUnprintable(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (isControlOrFormat(Character.toCodePoint(c, text.charAt(i + 1)))) {
                    return i;
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c) || isControlOrFormat(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code bytes} decoded as UTF-8, invalid bytes replaced by U+FFFD: for display only. */
    public static String lenientUtf8(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }

    /** A code point as a reason names it, e.g. U+202E. */
    public static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    private static String hex(int c) {
        return String.format("\\u%04x", c);
    }
}
