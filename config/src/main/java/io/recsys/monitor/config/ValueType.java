package io.recsys.monitor.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of a setting becomes a typed value, and what text it accepts. A parse failure throws
 * {@link IllegalArgumentException} whose message says what was expected, so that the loader can
 * name the key and the accepted values in one line.
 *
 * <p>Each type is a parser plus the sentence saying what it accepts: a parser answers null, or
 * throws a {@link NumberFormatException} or {@link DateTimeParseException}, for text it does not
 * accept, and {@link #parse} turns all of those into the one message {@code expected <accepted>}.
 */
public final class ValueType<T> implements Serializable {
    private static final long serialVersionUID = 2L;

    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h|d)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, ChronoUnit> DURATION_UNITS =
            Map.of(
                    "ms", ChronoUnit.MILLIS,
                    "s", ChronoUnit.SECONDS,
                    "sec", ChronoUnit.SECONDS,
                    "m", ChronoUnit.MINUTES,
                    "min", ChronoUnit.MINUTES,
                    "h", ChronoUnit.HOURS,
                    "d", ChronoUnit.DAYS);

    /** Text to value; null for text this type does not accept. */
    private interface Parser<T> extends Serializable {
        T parse(String text);
    }

    /** Value back to text. */
    private interface Formatter<T> extends Serializable {
        String format(T value);
    }

    private final String accepted;
    private final Parser<T> parser;
    private final Formatter<T> formatter;

    private ValueType(String accepted, Parser<T> parser, Formatter<T> formatter) {
        this.accepted = accepted;
        this.parser = parser;
        this.formatter = formatter;
    }

    private ValueType(String accepted, Parser<T> parser) {
        this(accepted, parser, value -> String.valueOf(value));
    }

    /** Parses {@code text} (already trimmed) or throws with a message naming what is accepted. */
    public T parse(String text) {
        T value;
        try {
            value = parser.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            value = null;
        }
        if (value == null) {
            throw new IllegalArgumentException("expected " + accepted);
        }
        return value;
    }

    /** What this type accepts, for error messages and the configuration reference. */
    public String accepted() {
        return accepted;
    }

    /** Formats a value back into text that {@link #parse} accepts. */
    public String format(T value) {
        return formatter.format(value);
    }

    public static ValueType<String> text() {
        return new ValueType<>("any text", text -> text);
    }

    public static ValueType<Boolean> bool() {
        return new ValueType<>(
                "true or false",
                text -> Map.of("true", true, "false", false).get(text.toLowerCase(Locale.ROOT)));
    }

    public static ValueType<Integer> integer(int min, int max) {
        ValueType<Long> range = longInteger(min, max);
        return new ValueType<>(range.accepted, text -> range.parse(text).intValue());
    }

    public static ValueType<Long> longInteger(long min, long max) {
        return new ValueType<>(
                "an integer from " + min + " to " + max,
                text -> {
                    long value = Long.parseLong(text.replace("_", ""));
                    return value < min || value > max ? null : value;
                });
    }

    /** A finite number in {@code [min, max]}. */
    public static ValueType<Double> number(double min, double max) {
        return new ValueType<>(
                "a number from " + min + " to " + max,
                text -> {
                    double value = Double.parseDouble(text);
                    return Double.isFinite(value) && value >= min && value <= max ? value : null;
                });
    }

    /**
     * A duration such as {@code 500ms}, {@code 30s}, {@code 5min}, {@code 1h}, {@code 2d} or ISO
     * {@code PT1H}, at least {@code min}.
     */
    public static ValueType<Duration> duration(Duration min) {
        return new ValueType<>(
                "a duration of at least "
                        + formatDuration(min)
                        + " such as 500ms, 30s, 5min, 1h, 2d or PT1H",
                text -> {
                    Matcher m = DURATION.matcher(text);
                    Duration value = null;
                    if (m.matches()) {
                        ChronoUnit unit = DURATION_UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
                        value = Duration.of(Long.parseLong(m.group(1)), unit);
                    } else if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
                        value = Duration.parse(text.toUpperCase(Locale.ROOT));
                    }
                    return value == null || value.compareTo(min) < 0 ? null : value;
                },
                ValueType::formatDuration);
    }

    /**
     * An instant in ISO-8601 with offset, such as {@code 2026-01-01T00:00:00Z}, or {@code now}: the
     * time the configuration is read, to the second.
     */
    public static ValueType<Instant> instant() {
        return new ValueType<>(
                "an ISO-8601 time with offset such as 2026-01-01T00:00:00Z, or now",
                text ->
                        "now".equalsIgnoreCase(text)
                                ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                                : OffsetDateTime.parse(text).toInstant());
    }

    /**
     * A network address to listen on: an IPv4 or IPv6 literal or a host name. Only the characters
     * of those forms are accepted, so that a typo fails at start-up instead of at bind time.
     */
    public static ValueType<String> hostAddress() {
        return new ValueType<>(
                "an IP address or host name (127.0.0.1, ::1, 0.0.0.0, localhost)",
                text -> text.matches("[A-Za-z0-9:][A-Za-z0-9.:-]*") ? text : null);
    }

    /** One of a fixed set of words. */
    public static ValueType<String> choice(String... choices) {
        List<String> allowed = Collections.unmodifiableList(Arrays.asList(choices));
        return new ValueType<>(
                "one of " + String.join(", ", allowed),
                text -> {
                    String lower = text.toLowerCase(Locale.ROOT);
                    return allowed.contains(lower) ? lower : null;
                });
    }

    /** A comma-separated list of non-empty words; an empty text is the empty list. */
    public static ValueType<List<String>> list() {
        return new ValueType<>(
                "a comma-separated list",
                text -> {
                    List<String> items = new ArrayList<>();
                    if (text.isEmpty()) {
                        return items;
                    }
                    for (String part : text.split(",")) {
                        String item = part.trim();
                        if (item.isEmpty()) {
                            return null;
                        }
                        items.add(item);
                    }
                    return Collections.unmodifiableList(items);
                },
                value -> String.join(",", value));
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "min";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
