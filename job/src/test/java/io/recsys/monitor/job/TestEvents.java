package io.recsys.monitor.job;

import java.time.Instant;
import java.util.Locale;

/** Builds raw JSON events of docs/events.md for crafted test inputs. */
final class TestEvents {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    /** 2026-01-01T00:00:00Z. */
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private TestEvents() {}

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** A prediction with {@code items} recommendations item-0 .. item-(items-1). */
    static String prediction(String requestId, long time, String model, String segment, int items) {
        StringBuilder recs = new StringBuilder();
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                recs.append(',');
            }
            recs.append(
                    String.format(
                            Locale.ROOT,
                            "{\"item_id\":\"item-%d\",\"score\":%.3f,\"category\":\"cat-%d\",\"price\":%d.0}",
                            i,
                            1.0 - i * 0.05,
                            i % 3,
                            10 + i));
        }
        return String.format(
                Locale.ROOT,
                "{\"event_type\":\"prediction\",\"request_id\":\"%s\",\"event_time\":\"%s\","
                        + "\"user_id\":\"user-%s\",\"user_segment\":\"%s\",\"model_version\":\"%s\","
                        + "\"latency_ms\":42.0,\"status\":\"ok\",\"recommendations\":[%s],"
                        + "\"features\":{\"user_age\":31,\"device\":\"mobile\",\"is_logged_in\":true,\"referrer\":null}}",
                requestId,
                iso(time),
                requestId,
                segment,
                model,
                recs);
    }

    static String feedback(String requestId, long time, String item, String action) {
        return String.format(
                Locale.ROOT,
                "{\"event_type\":\"feedback\",\"request_id\":\"%s\",\"event_time\":%d,"
                        + "\"user_id\":\"user-%s\",\"item_id\":\"%s\",\"action\":\"%s\"}",
                requestId,
                time,
                requestId,
                item,
                action);
    }

    static String purchase(String requestId, long time, String item, double orderValue) {
        return String.format(
                Locale.ROOT,
                "{\"event_type\":\"feedback\",\"request_id\":\"%s\",\"event_time\":\"%s\","
                        + "\"user_id\":\"user-%s\",\"item_id\":\"%s\",\"action\":\"purchase\","
                        + "\"order_value\":%.2f}",
                requestId,
                iso(time),
                requestId,
                item,
                orderValue);
    }
}
