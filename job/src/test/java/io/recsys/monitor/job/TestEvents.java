package io.recsys.monitor.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    /** A timed raw line, so that the crafted stream can be put in event-time order. */
    static final class Line {
        final long time;
        final String json;

        Line(long time, String json) {
            this.time = time;
            this.json = json;
        }
    }

    /**
     * Per hour h = 0..3 and model (v1/new, v2/returning): 10 responses of 10 items, every item
     * shown once (100 impressions), and this many clicks and purchases:
     *
     * <pre>
     *          clicks v1  clicks v2  purchases v1 (value)   purchases v2
     * hour 0       4          1       2 (80.00, 120.00)          0
     * hour 1-3     2          1       1 (50.00)                  0
     * </pre>
     *
     * plus one click whose prediction never arrives (hour 0), starting at {@code t0}. Expected per
     * hour window: overall CTR 2.5, 1.5, 1.5, 1.5 (ConversionRate 40, 33.3.., AOV 100, 50); v1 CTR
     * 4, 2, 2, 2; v2 CTR 1 throughout.
     */
    static List<String> craftedTraffic(long t0) {
        List<Line> lines = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            for (String model : new String[] {"v1", "v2"}) {
                String segment = model.equals("v1") ? "new" : "returning";
                int clicks = model.equals("v1") ? (h == 0 ? 4 : 2) : 1;
                for (int i = 0; i < 10; i++) {
                    String req = "h" + h + "-" + model + "-" + i;
                    long t = t0 + h * HOUR + i * 2 * MINUTE;
                    lines.add(new Line(t, prediction(req, t, model, segment, 10)));
                    for (int item = 0; item < 10; item++) {
                        lines.add(
                                new Line(
                                        t + MINUTE,
                                        feedback(req, t + MINUTE, "item-" + item, "impression")));
                    }
                    if (i < clicks) {
                        lines.add(
                                new Line(
                                        t + 2 * MINUTE,
                                        feedback(req, t + 2 * MINUTE, "item-0", "click")));
                    }
                    boolean buys = model.equals("v1") && (h == 0 ? i < 2 : i < 1);
                    if (buys) {
                        double value = h == 0 ? (i == 0 ? 80.0 : 120.0) : 50.0;
                        lines.add(
                                new Line(
                                        t + 5 * MINUTE,
                                        feedback(req, t + 5 * MINUTE, "item-0", "add_to_cart")));
                        lines.add(
                                new Line(
                                        t + 10 * MINUTE,
                                        purchase(req, t + 10 * MINUTE, "item-0", value)));
                    }
                }
            }
        }
        lines.add(new Line(t0 + 5 * MINUTE, feedback("ghost", t0 + 5 * MINUTE, "item-0", "click")));
        lines.sort(Comparator.comparingLong(l -> l.time));
        return lines.stream().map(l -> l.json).collect(Collectors.toList());
    }
}
