package io.recsys.monitor.bench;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.PredictionEvent;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.reference.ModelProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;
import java.util.Collections;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Events shaped like the synthetic generator's with {@code generator.extra-features=11} (the
 * bench's traffic): 10 recommendations and 20 features, 16 numerical and 4 categorical, with seeded
 * values. The benchmarks live in this module, without the generator of the job module, so they
 * write their own.
 */
public final class BenchEvents {
    static final String[] DEVICES = {"mobile", "desktop", "tablet", "smart_tv"};
    static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "IN", "BR", "JP", "CA"};
    static final String[] REFERRERS = {"search", "direct", "email", "social"};
    static final String[] CATEGORIES = {"electronics", "books", "fashion", "home", "beauty"};

    private BenchEvents() {}

    /** A prediction as the generator writes it: about 1.3 KB. */
    public static String prediction(SplittableRandom r, long request) {
        StringBuilder sb = new StringBuilder(1400);
        sb.append("{\"event_type\":\"prediction\",\"request_id\":\"req-").append(request);
        sb.append("\",\"event_time\":\"2026-01-01T01:23:45.678Z\",\"user_id\":\"u-")
                .append(r.nextInt(100_000));
        sb.append("\",\"user_segment\":\"returning\",\"model_version\":\"v")
                .append(1 + r.nextInt(2));
        sb.append("\",\"latency_ms\":")
                .append(fixed(30 + 200 * r.nextDouble(), 1))
                .append(",\"status\":\"ok\",\"recommendations\":[");
        double score = 0.55 + 0.43 * r.nextDouble();
        for (int k = 0; k < 10; k++) {
            if (k > 0) {
                sb.append(',');
            }
            int item = r.nextInt(5000);
            sb.append("{\"item_id\":\"item-").append(item).append("\",\"score\":");
            sb.append(fixed(score, 4)).append(",\"category\":\"");
            sb.append(CATEGORIES[item % CATEGORIES.length]).append("\",\"price\":");
            sb.append(fixed(5 + 100 * r.nextDouble(), 2)).append('}');
            score *= 0.88 + 0.10 * r.nextDouble();
        }
        sb.append("],\"features\":{\"user_age\":").append(18 + r.nextInt(60));
        sb.append(",\"session_length_s\":").append(fixed(600 * r.nextDouble(), 1));
        sb.append(",\"items_in_cart\":").append(r.nextInt(6));
        sb.append(",\"days_since_last_visit\":").append(r.nextInt(30));
        sb.append(",\"price_sensitivity\":").append(fixed(r.nextDouble(), 3));
        sb.append(",\"device\":\"").append(DEVICES[r.nextInt(DEVICES.length)]);
        sb.append("\",\"country\":\"").append(COUNTRIES[r.nextInt(COUNTRIES.length)]);
        sb.append("\",\"is_logged_in\":").append(r.nextBoolean());
        sb.append(",\"referrer\":\"").append(REFERRERS[r.nextInt(REFERRERS.length)]).append('"');
        for (int i = 1; i <= 11; i++) {
            sb.append(String.format(Locale.ROOT, ",\"feature_%02d\":", i));
            sb.append(fixed(i + (1 + i / 10.0) * gaussian(r), 3));
        }
        return sb.append("}}").toString();
    }

    /** A smaller prediction of about 400 bytes: 2 recommendations and 5 features. */
    public static String smallPrediction(SplittableRandom r, long request) {
        return "{\"event_type\":\"prediction\",\"request_id\":\"req-"
                + request
                + "\",\"event_time\":\"2026-01-01T01:23:45.678Z\",\"user_id\":\"u-"
                + r.nextInt(100_000)
                + "\",\"user_segment\":\"new\",\"model_version\":\"v1\",\"latency_ms\":"
                + fixed(30 + 200 * r.nextDouble(), 1)
                + ",\"status\":\"ok\",\"recommendations\":["
                + "{\"item_id\":\"item-17\",\"score\":0.9123,\"category\":\"books\",\"price\":12.5},"
                + "{\"item_id\":\"item-4203\",\"score\":0.8051,\"category\":\"home\",\"price\":64.99}"
                + "],\"features\":{\"user_age\":"
                + (18 + r.nextInt(60))
                + ",\"session_length_s\":"
                + fixed(600 * r.nextDouble(), 1)
                + ",\"items_in_cart\":2,\"device\":\"mobile\",\"country\":\"DE\"}}";
    }

    /** A feedback event: about 180 bytes. */
    public static String feedback(SplittableRandom r, long request) {
        return "{\"event_type\":\"feedback\",\"request_id\":\"req-"
                + request
                + "\",\"event_time\":\"2026-01-01T01:23:46.912Z\",\"user_id\":\"u-"
                + r.nextInt(100_000)
                + "\",\"item_id\":\"item-"
                + r.nextInt(5000)
                + "\",\"action\":\"click\"}";
    }

    static PredictionEvent parse(String json) {
        InputRecord record = new EventParser(EventLimits.defaults()).parse(json, "bench", 0L);
        if (record.prediction == null) {
            throw new IllegalStateException("not a prediction: " + record.deadLetter);
        }
        return record.prediction;
    }

    /** Parsed predictions, seeded. */
    static PredictionEvent[] predictions(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        PredictionEvent[] events = new PredictionEvent[count];
        for (int i = 0; i < count; i++) {
            events[i] = parse(prediction(r, i));
        }
        return events;
    }

    /** The reference profile of {@code events} for their model version v1 and v2 together. */
    static ModelProfile profile(PredictionEvent[] events) {
        ReferenceProfileBuilder builder =
                new ReferenceProfileBuilder(Collections.emptySet(), Collections.emptySet());
        for (PredictionEvent e : events) {
            builder.add(e);
        }
        return builder.build("bench", "2026-01-01T00:00:00Z", "bench").profileFor("default");
    }

    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * r.nextDouble());
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
