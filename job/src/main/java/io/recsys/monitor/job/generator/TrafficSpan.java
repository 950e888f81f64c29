package io.recsys.monitor.job.generator;

import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded stretch of synthetic traffic: every request whose event time lies before an end, with
 * all the feedback those requests cause (also the feedback after the end), and nothing of the
 * requests after it. Cutting the stream by event time alone would lose the late clicks and
 * purchases of the last half hour and fake a CTR drop at the end of every replay.
 *
 * <p>{@link #measure} walks the simulator once without writing JSON to count the span; {@link
 * #source()} then generates the lines while the job reads them, so that a long span never sits in
 * memory. The source is not resumable from a checkpoint (the count of lines skipped at a given
 * index is not kept); it serves bounded runs that start from scratch.
 */
public final class TrafficSpan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GeneratorSettings settings;
    private final long endMillis;
    private final long requests;
    private final long events;
    private final long feedback;
    private final long malformed;
    private final long lastEventTime;

    private TrafficSpan(
            GeneratorSettings settings,
            long endMillis,
            long requests,
            long events,
            long feedback,
            long malformed,
            long lastEventTime) {
        this.settings = settings;
        this.endMillis = endMillis;
        this.requests = requests;
        this.events = events;
        this.feedback = feedback;
        this.malformed = malformed;
        this.lastEventTime = lastEventTime;
    }

    /**
     * Counts the traffic of {@code settings} from its start time to {@code endMillis}.
     *
     * @throws IllegalArgumentException when the span holds no request
     */
    public static TrafficSpan measure(GeneratorSettings settings, long endMillis) {
        TrafficSimulator simulator = new TrafficSimulator(settings);
        long requests = -1;
        long events = 0;
        long feedback = 0;
        long malformed = 0;
        long lastEventTime = Long.MIN_VALUE;
        while (true) {
            GeneratedEvent e = simulator.nextWithoutJson();
            if (requests < 0 && !e.feedback && e.eventTime >= endMillis) {
                // Requests are numbered in event-time order: this is the first one after the end.
                requests = e.requestSeq;
            }
            if (requests >= 0
                    && e.eventTime > endMillis + TrafficSimulator.MAX_FEEDBACK_DELAY_MILLIS) {
                break;
            }
            if (requests < 0 || e.requestSeq < requests) {
                events++;
                feedback += e.feedback ? 1 : 0;
                malformed += e.malformed ? 1 : 0;
                lastEventTime = Math.max(lastEventTime, e.eventTime);
            }
        }
        if (requests == 0) {
            throw new IllegalArgumentException(
                    "no request between the start of the traffic and " + endMillis);
        }
        return new TrafficSpan(
                settings, endMillis, requests, events, feedback, malformed, lastEventTime);
    }

    /** A data generator source of the span's JSON lines in event-time order; parallelism 1. */
    public DataGeneratorSource<String> source() {
        return new DataGeneratorSource<>(
                new SpanLines(settings, requests),
                events,
                RateLimiterStrategy.noOp(),
                Types.STRING);
    }

    /** Event time before which the span's requests lie, epoch ms. */
    public long endMillis() {
        return endMillis;
    }

    /** Requests (prediction events, malformed ones included). */
    public long requests() {
        return requests;
    }

    /** Every line of the span: predictions, feedback and malformed lines. */
    public long events() {
        return events;
    }

    public long feedback() {
        return feedback;
    }

    public long malformed() {
        return malformed;
    }

    /** Event time of the span's last line (late feedback of its last requests), epoch ms. */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** The lines of the requests numbered below {@code requests}, in the simulator's order. */
    static final class SpanLines implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final GeneratorSettings settings;
        private final long requests;
        private transient TrafficSimulator simulator;
        private transient long next;

        SpanLines(GeneratorSettings settings, long requests) {
            this.settings = settings;
            this.requests = requests;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            simulator = new TrafficSimulator(settings);
            next = 0;
        }

        @Override
        public String map(Long index) {
            if (index != next) {
                throw new IllegalStateException(
                        "a span of generated traffic is read from its start in order; asked for line "
                                + index
                                + " after "
                                + next);
            }
            next++;
            while (true) {
                GeneratedEvent e = simulator.next();
                if (e.requestSeq < requests) {
                    return e.json;
                }
            }
        }
    }
}
