package io.recsys.monitor.config;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of a setting becomes a typed value, and what text it accepts. A parse failure throws
 * {@link IllegalArgumentException} whose message says what was expected, so that the loader can
 * name the key and the accepted values in one line.
 */
public abstract class ValueType<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Parses {@code text} (already trimmed) or throws with a message naming what is accepted. */
    public abstract T parse(String text);

    /** What this type accepts, for error messages and the configuration reference. */
    public abstract String accepted();

    /** Formats a value back into text that {@link #parse} accepts. */
    public String format(T value) {
        return String.valueOf(value);
    }

    public static ValueType<String> text() {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String parse(String text) {
                return text;
            }

            @Override
            public String accepted() {
                return "any text";
            }
        };
    }

    public static ValueType<Boolean> bool() {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Boolean parse(String text) {
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "true":
                        return true;
                    case "false":
                        return false;
                    default:
                        throw new IllegalArgumentException("expected true or false");
                }
            }

            @Override
            public String accepted() {
                return "true or false";
            }
        };
    }

    public static ValueType<Integer> integer(int min, int max) {
        ValueType<Long> range = longInteger(min, max);
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Integer parse(String text) {
                return range.parse(text).intValue();
            }

            @Override
            public String accepted() {
                return range.accepted();
            }
        };
    }

    public static ValueType<Long> longInteger(long min, long max) {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Long parse(String text) {
                final long value;
                try {
                    value = Long.parseLong(text.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                if (value < min || value > max) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return value;
            }

            @Override
            public String accepted() {
                return "an integer from " + min + " to " + max;
            }
        };
    }

    /** A finite number in {@code [min, max]}. */
    public static ValueType<Double> number(double min, double max) {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Double parse(String text) {
                final double value;
                try {
                    value = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                if (!Double.isFinite(value) || value < min || value > max) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return value;
            }

            @Override
            public String accepted() {
                return "a number from " + min + " to " + max;
            }
        };
    }

    /**
     * A duration such as {@code 500ms}, {@code 30s}, {@code 5min}, {@code 1h}, {@code 2d} or ISO
     * {@code PT1H}, at least {@code min}.
     */
    public static ValueType<Duration> duration(Duration min) {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;
            private final Pattern pattern =
                    Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h|d)", Pattern.CASE_INSENSITIVE);

            @Override
            public Duration parse(String text) {
                Duration value = null;
                Matcher m = pattern.matcher(text);
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "ms":
                            value = Duration.ofMillis(n);
                            break;
                        case "s":
                        case "sec":
                            value = Duration.ofSeconds(n);
                            break;
                        case "m":
                        case "min":
                            value = Duration.ofMinutes(n);
                            break;
                        case "h":
                            value = Duration.ofHours(n);
                            break;
                        default:
                            value = Duration.ofDays(n);
                    }
                } else if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
                    try {
                        value = Duration.parse(text.toUpperCase(Locale.ROOT));
                    } catch (DateTimeParseException e) {
                        value = null;
                    }
                }
                if (value == null || value.compareTo(min) < 0) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return value;
            }

            @Override
            public String accepted() {
                return "a duration of at least "
                        + formatDuration(min)
                        + " such as 500ms, 30s, 5min, 1h, 2d or PT1H";
            }

            @Override
            public String format(Duration value) {
                return formatDuration(value);
            }
        };
    }

    /**
     * An instant in ISO-8601 with offset, such as {@code 2026-01-01T00:00:00Z}, or {@code now}: the
     * time the configuration is read, to the second.
     */
    public static ValueType<Instant> instant() {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Instant parse(String text) {
                if ("now".equalsIgnoreCase(text)) {
                    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                }
                try {
                    return java.time.OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
            }

            @Override
            public String accepted() {
                return "an ISO-8601 time with offset such as 2026-01-01T00:00:00Z, or now";
            }
        };
    }

    /**
     * A network address to listen on: an IPv4 or IPv6 literal or a host name. Only the characters
     * of those forms are accepted, so that a typo fails at start-up instead of at bind time.
     */
    public static ValueType<String> hostAddress() {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String parse(String text) {
                if (!text.matches("[A-Za-z0-9:][A-Za-z0-9.:-]*")) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return text;
            }

            @Override
            public String accepted() {
                return "an IP address or host name (127.0.0.1, ::1, 0.0.0.0, localhost)";
            }
        };
    }

    /** One of a fixed set of words. */
    public static ValueType<String> choice(String... choices) {
        List<String> allowed = Collections.unmodifiableList(Arrays.asList(choices));
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String parse(String text) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (!allowed.contains(lower)) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return lower;
            }

            @Override
            public String accepted() {
                return "one of " + String.join(", ", allowed);
            }
        };
    }

    /** A comma-separated list of non-empty words; an empty text is the empty list. */
    public static ValueType<List<String>> list() {
        return new ValueType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public List<String> parse(String text) {
                List<String> items = new ArrayList<>();
                if (text.isEmpty()) {
                    return items;
                }
                for (String part : text.split(",")) {
                    String item = part.trim();
                    if (item.isEmpty()) {
                        throw new IllegalArgumentException("expected " + accepted());
                    }
                    items.add(item);
                }
                return Collections.unmodifiableList(items);
            }

            @Override
            public String accepted() {
                return "a comma-separated list";
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }
        };
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
