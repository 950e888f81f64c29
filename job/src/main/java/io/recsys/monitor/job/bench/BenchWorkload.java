package io.recsys.monitor.job.bench;

import io.recsys.monitor.config.MonitorConfig;
import io.recsys.monitor.job.generator.GeneratedEvent;
import io.recsys.monitor.job.generator.GeneratorSettings;
import io.recsys.monitor.job.generator.TrafficSimulator;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.reference.ReferenceProfile;
import io.recsys.monitor.operators.reference.ReferenceProfileBuilder;

/**
 * The bench's traffic, made before the clock starts: the synthetic generator's JSON lines for the
 * configured {@code generator.*} keys, with their count and size, and the reference profile of
 * their prediction events (what {@code reference build} would write for them), so that drift runs
 * on every feature against a profile of the same traffic.
 */
public final class BenchWorkload {
    private final String[] lines;
    private final long bytes;
    private final long predictions;
    private final int features;
    private final ReferenceProfile reference;
    private final long eventTimeSpanMillis;

    private BenchWorkload(
            String[] lines,
            long bytes,
            long predictions,
            int features,
            ReferenceProfile reference,
            long eventTimeSpanMillis) {
        this.lines = lines;
        this.bytes = bytes;
        this.predictions = predictions;
        this.features = features;
        this.reference = reference;
        this.eventTimeSpanMillis = eventTimeSpanMillis;
    }

    /** The first {@code events} events of the generator for {@code config}, and their reference. */
    public static BenchWorkload generate(MonitorConfig config, int events) {
        if (events <= 0) {
            throw new IllegalArgumentException("the bench needs at least one event, got " + events);
        }
        TrafficSimulator simulator = new TrafficSimulator(GeneratorSettings.fromConfig(config));
        EventParser parser = new EventParser(EventLimits.fromConfig(config));
        ReferenceProfileBuilder builder = ReferenceProfileBuilder.fromConfig(config);
        String[] lines = new String[events];
        long bytes = 0;
        long predictions = 0;
        int features = 0;
        long firstEventTime = Long.MAX_VALUE;
        long lastEventTime = Long.MIN_VALUE;
        for (int i = 0; i < events; i++) {
            GeneratedEvent event = simulator.next();
            firstEventTime = Math.min(firstEventTime, event.eventTime);
            lastEventTime = Math.max(lastEventTime, event.eventTime);
            lines[i] = event.json;
            // The generator writes ASCII: one byte per char.
            bytes += event.json.length();
            if (!event.malformed && !event.feedback) {
                InputRecord record = parser.parse(event.json, "bench", 0L);
                if (record.prediction != null) {
                    builder.add(record.prediction);
                    predictions++;
                    features =
                            Math.max(
                                    features,
                                    record.prediction.numericFeatures.size()
                                            + record.prediction.categoricalFeatures.size()
                                            + record.prediction.nullFeatures.size());
                }
            }
        }
        ReferenceProfile reference =
                predictions == 0
                        ? null
                        : builder.build("bench", "1970-01-01T00:00:00Z", "bench traffic");
        return new BenchWorkload(
                lines, bytes, predictions, features, reference, lastEventTime - firstEventTime);
    }

    /** The raw lines in the generator's order (the array itself: the replay reads it). */
    String[] lines() {
        return lines;
    }

    public int events() {
        return lines.length;
    }

    /** UTF-8 bytes of all lines. */
    public long bytes() {
        return bytes;
    }

    public long predictions() {
        return predictions;
    }

    /** Most features on one prediction event. */
    public int features() {
        return features;
    }

    /**
     * The event time the input covers: how long the generator's traffic took to happen, so that the
     * job's pace can be set against the live one (a replay is a backlog after an outage).
     */
    public long eventTimeSpanMillis() {
        return eventTimeSpanMillis;
    }

    /** Profile of the prediction events; null when there were none. */
    public ReferenceProfile reference() {
        return reference;
    }
}
