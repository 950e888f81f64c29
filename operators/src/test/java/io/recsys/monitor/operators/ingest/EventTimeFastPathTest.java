package io.recsys.monitor.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.InputRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The parser's fast reading of UTC times gives what Java's ISO formatter gives, or defers to it.
 */
class EventTimeFastPathTest {

    private static long byFormatter(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant()
                .toEpochMilli();
    }

    @Test
    void agreesWithTheFormatterOnRandomTimesAndFractions() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            long millis = r.nextLong(0, Instant.parse("9999-12-31T23:59:59Z").toEpochMilli());
            Instant instant = Instant.ofEpochMilli(millis).plusNanos(r.nextInt(1_000_000));
            String iso = instant.toString(); // Z, with 0, 3, 6 or 9 fraction digits
            int digits = r.nextInt(10);
            String base = iso.substring(0, 19);
            String fraction = String.format("%09d", instant.getNano()).substring(0, digits);
            String text = digits == 0 ? base + "Z" : base + "." + fraction + "Z";
            assertThat(EventParser.utcMillis(text)).as(text).isEqualTo(byFormatter(text));
            assertThat(EventParser.utcMillis(iso)).as(iso).isEqualTo(byFormatter(iso));
        }
    }

    @Test
    void leavesEveryOtherFormToTheFormatter() {
        for (String text :
                new String[] {
                    "2026-01-01T00:00:00+00:00",
                    "2026-01-01T01:00:00+01:00",
                    "2026-01-01T00:00:00.Z",
                    "2026-01-01T00:00Z",
                    "2026-01-01 00:00:00Z",
                    "2026-02-30T00:00:00Z",
                    "2026-13-01T00:00:00Z",
                    "2026-01-01T24:00:00Z",
                    "2026-01-01T00:60:00Z",
                    "2026-01-01T00:00:60Z",
                    "1969-12-31T23:59:59.999Z",
                    "2026-01-01T00:00:00.1234567890Z",
                    "2026-01-01T00:00:00.12a4Z",
                    "２026-01-01T00:00:00Z",
                    "+2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00z",
                    "2026-01-01T00:00:00"
                }) {
            assertThat(EventParser.utcMillis(text)).as(text).isEqualTo(EventParser.NOT_FAST);
        }
    }

    @Test
    void theParserStillRejectsWhatTheFormatterRejects() {
        EventParser parser = new EventParser(EventLimits.defaults());
        InputRecord leap =
                parser.parse(
                        "{\"event_type\":\"feedback\",\"request_id\":\"r\","
                                + "\"event_time\":\"2026-02-29T00:00:00Z\",\"user_id\":\"u\","
                                + "\"item_id\":\"i\",\"action\":\"click\"}",
                        "test",
                        0L);
        assertThat(leap.deadLetter).isNotNull();
        assertThat(leap.deadLetter.reason).contains("event_time");
        InputRecord valid =
                parser.parse(
                        "{\"event_type\":\"feedback\",\"request_id\":\"r\","
                                + "\"event_time\":\"2028-02-29T10:00:00.5Z\",\"user_id\":\"u\","
                                + "\"item_id\":\"i\",\"action\":\"click\"}",
                        "test",
                        0L);
        assertThat(valid.feedback.eventTime)
                .isEqualTo(Instant.parse("2028-02-29T10:00:00.500Z").toEpochMilli());
    }
}
