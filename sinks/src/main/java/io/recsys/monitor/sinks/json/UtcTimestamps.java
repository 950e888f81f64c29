package io.recsys.monitor.sinks.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds to and from ISO-8601 UTC strings that always carry milliseconds, e.g. {@code
 * 2026-01-01T01:00:00.000Z}. A fixed width keeps the files sortable and greppable, which {@link
 * Instant#toString()} (it drops a zero fraction) would not.
 */
final class UtcTimestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private UtcTimestamps() {}

    static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    static long parse(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not an ISO-8601 UTC time: '" + text + "'", e);
        }
    }
}
