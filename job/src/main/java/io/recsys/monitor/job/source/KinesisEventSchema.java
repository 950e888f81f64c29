package io.recsys.monitor.job.source;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.operators.ingest.EventTimeGuard;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Turns the bytes of one Kinesis record into an {@link InputRecord}, parsed once by the {@link
 * EventParser} that every other source uses. A malformed record becomes a dead letter whose source
 * is {@code kinesis:<stream>}; it never throws, because an exception here would restart the job and
 * read the same record again, for ever.
 */
public final class KinesisEventSchema implements KinesisDeserializationSchema<InputRecord> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private final Duration maxFutureSkew;
    private final Clock clock;

    private transient EventParser parser;

    // Built once per stream, so that the source name of a dead letter costs no concatenation
    // per record.
    private transient Map<String, String> sourceNames;

    /** The wall clock, in epoch milliseconds; a test hands in one it controls. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long millis();
    }

    /** A schema without the event-time guard. */
    public KinesisEventSchema(EventLimits limits) {
        this(limits, Duration.ZERO, System::currentTimeMillis);
    }

    /**
     * A schema that also rejects, as {@code time_out_of_range}, an event more than {@code
     * maxFutureSkew} ahead of {@code clock} ({@link EventTimeGuard#aheadOfClock}; zero: never). The
     * rule holds whether or not the stream is read live: a record was written before it is read, so
     * its events cannot lie in the future. The replay rules of {@link EventTimeGuard} cannot run
     * here, since the connector assigns each shard's watermarks inside the source.
     */
    public KinesisEventSchema(EventLimits limits, Duration maxFutureSkew, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The source name that dead letters from {@code stream} carry. */
    public static String sourceName(String stream) {
        return "kinesis:" + stream;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EventParser(limits);
        sourceNames = new HashMap<>();
    }

    @Override
    public InputRecord deserialize(
            byte[] recordValue,
            String partitionKey,
            String sequenceNumber,
            long approximateArrivalTimestamp,
            String stream,
            String shardId) {
        if (parser == null) {
            // The connector opens the schema of each shard, but a caller that does not must still
            // get records, not a NullPointerException.
            open(null);
        }
        String source = sourceNames.computeIfAbsent(stream, KinesisEventSchema::sourceName);
        // Processing time, as for the file and generator sources: the dead letter says when the
        // job rejected the record, not when a producer wrote it.
        long now = clock.millis();
        InputRecord record = parser.parse(recordValue, source, now);
        if (record.deadLetter != null || maxFutureSkew.isZero()) {
            return record;
        }
        String reason = EventTimeGuard.aheadOfClock(record.eventTime(), now, maxFutureSkew);
        return reason == null
                ? record
                : parser.deadLetter(
                        DeadLetter.Reason.TIME_OUT_OF_RANGE,
                        reason,
                        new String(recordValue, StandardCharsets.UTF_8),
                        source,
                        now);
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        // Nothing changes a parsed record, so the chained operators share it instead of copying.
        return UnchangedRecordTypeInfo.of(InputRecord.class);
    }
}
