package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.DeadLetter;
import io.recsys.monitor.model.FeedbackAction;
import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.UnchangedRecordTypeInfo;
import io.recsys.monitor.operators.ingest.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KinesisEventSchemaTest {
    private static final String STREAM = "recsys-events";
    private static final long ARRIVAL = 1_767_225_600_000L;

    private static final String PREDICTION =
            "{\"event_type\":\"prediction\",\"request_id\":\"r-1\","
                    + "\"event_time\":\"2026-01-01T00:00:01.500Z\",\"user_id\":\"u-1\","
                    + "\"user_segment\":\"new\",\"model_version\":\"v2\",\"latency_ms\":12.5,"
                    + "\"status\":\"ok\",\"recommendations\":[{\"item_id\":\"i-1\",\"score\":0.9,"
                    + "\"category\":\"books\",\"price\":9.5}],\"features\":{\"age\":31}}";

    private static final String CLICK =
            "{\"event_type\":\"feedback\",\"request_id\":\"r-1\",\"event_time\":1767225602000,"
                    + "\"user_id\":\"u-1\",\"item_id\":\"i-1\",\"action\":\"click\"}";

    private KinesisEventSchema schema;

    @BeforeEach
    void openSchema() throws Exception {
        // Through Java serialization, as the connector ships it to every shard.
        schema = InstantiationUtil.clone(new KinesisEventSchema(EventLimits.defaults()));
        schema.open(null);
    }

    private InputRecord deserialize(String raw) {
        return deserialize(raw.getBytes(StandardCharsets.UTF_8));
    }

    private InputRecord deserialize(byte[] bytes) {
        return schema.deserialize(bytes, "pk", "49590000000000000001", ARRIVAL, STREAM, "shard-0");
    }

    /**
     * A clock the test moves. Static, so that the clone Java serialization makes reads the same one
     * (a captured AtomicLong would be copied).
     */
    private static volatile long now;

    private static long clock() {
        return now;
    }

    @Test
    void anEventAheadOfTheClockBecomesATimeOutOfRangeDeadLetter() throws Exception {
        KinesisEventSchema guarded =
                InstantiationUtil.clone(
                        new KinesisEventSchema(
                                EventLimits.defaults(),
                                java.time.Duration.ofMinutes(5),
                                KinesisEventSchemaTest::clock));
        guarded.open(null);
        // CLICK is at 00:00:02 on 2026-01-01: 5 min after it passes, 1 ms earlier does not.
        now = 1_767_225_602_000L - 5 * 60_000L;
        InputRecord atTheEdge =
                guarded.deserialize(
                        CLICK.getBytes(StandardCharsets.UTF_8), "pk", "1", ARRIVAL, STREAM, "s");
        assertThat(atTheEdge.feedback).isNotNull();
        now = 1_767_225_602_000L - 5 * 60_000L - 1;
        InputRecord ahead =
                guarded.deserialize(
                        CLICK.getBytes(StandardCharsets.UTF_8), "pk", "1", ARRIVAL, STREAM, "s");
        assertThat(ahead.deadLetter.category).isEqualTo("time_out_of_range");
        assertThat(ahead.deadLetter.reason)
                .isEqualTo(
                        "event_time 2026-01-01T00:00:02Z is more than 5min ahead of the clock"
                                + " (reference 2025-12-31T23:55:01.999Z)");
        assertThat(ahead.deadLetter.raw).isEqualTo(CLICK);
        assertThat(ahead.deadLetter.source).isEqualTo("kinesis:" + STREAM);
        assertThat(ahead.eventTime()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void validPredictionIsParsed() {
        InputRecord record = deserialize(PREDICTION);

        assertThat(record.deadLetter).isNull();
        assertThat(record.feedback).isNull();
        assertThat(record.prediction.requestId).isEqualTo("r-1");
        assertThat(record.prediction.modelVersion).isEqualTo("v2");
        assertThat(record.prediction.recommendations).hasSize(1);
        assertThat(record.eventTime())
                .isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z").toEpochMilli());
    }

    @Test
    void validFeedbackIsParsed() {
        InputRecord record = deserialize(CLICK);

        assertThat(record.deadLetter).isNull();
        assertThat(record.feedback.action).isEqualTo(FeedbackAction.CLICK);
        assertThat(record.feedback.itemId).isEqualTo("i-1");
        assertThat(record.eventTime()).isEqualTo(1_767_225_602_000L);
    }

    @Test
    void malformedJsonBecomesADeadLetterNamingTheStream() {
        long before = System.currentTimeMillis();
        InputRecord record = deserialize("{\"event_type\":\"prediction\",");
        long after = System.currentTimeMillis();

        assertThat(record.prediction).isNull();
        assertThat(record.feedback).isNull();
        DeadLetter dead = record.deadLetter;
        assertThat(dead.category).isEqualTo(DeadLetter.Reason.INVALID_JSON.category());
        assertThat(dead.source).isEqualTo("kinesis:" + STREAM);
        assertThat(dead.raw).isEqualTo("{\"event_type\":\"prediction\",");
        // When the job rejected it, not when the producer wrote it.
        assertThat(dead.receivedAt).isBetween(before, after);
        assertThat(record.eventTime()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void contractViolationsBecomeDeadLetters() {
        assertThat(deserialize("{\"event_type\":\"prediction\"}").deadLetter.category)
                .isEqualTo(DeadLetter.Reason.MISSING_FIELD.category());
        assertThat(deserialize("{\"event_type\":\"refund\"}").deadLetter.category)
                .isEqualTo(DeadLetter.Reason.UNKNOWN_EVENT_TYPE.category());
        assertThat(deserialize("[1,2]").deadLetter.category)
                .isEqualTo(DeadLetter.Reason.INVALID_JSON.category());
    }

    @Test
    void emptyAndNonUtf8RecordsBecomeDeadLetters() {
        assertThat(deserialize(new byte[0]).deadLetter.category)
                .isEqualTo(DeadLetter.Reason.INVALID_JSON.category());
        InputRecord binary = deserialize(new byte[] {(byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF});
        assertThat(binary.deadLetter).isNotNull();
        assertThat(binary.deadLetter.source).isEqualTo("kinesis:" + STREAM);
    }

    @Test
    void oversizedRecordIsRejectedBeforeParsing() {
        KinesisEventSchema small = new KinesisEventSchema(new EventLimits(256, 100, 200, 64));
        small.open(null);
        byte[] big = new byte[1024];
        java.util.Arrays.fill(big, (byte) ' ');

        InputRecord record = small.deserialize(big, "pk", "1", ARRIVAL, STREAM, "shard-0");

        assertThat(record.deadLetter.category)
                .isEqualTo(DeadLetter.Reason.LIMIT_EXCEEDED.category());
        assertThat(record.deadLetter.raw).contains("[truncated");
    }

    @Test
    void eachStreamNamesItsOwnDeadLetters() {
        InputRecord a = schema.deserialize(new byte[] {'x'}, "pk", "1", ARRIVAL, "preds", "s-0");
        InputRecord b = schema.deserialize(new byte[] {'x'}, "pk", "1", ARRIVAL, "feedback", "s-0");

        assertThat(a.deadLetter.source).isEqualTo("kinesis:preds");
        assertThat(b.deadLetter.source).isEqualTo("kinesis:feedback");
    }

    @Test
    void worksWithoutOpen() {
        KinesisEventSchema unopened = new KinesisEventSchema(EventLimits.defaults());

        InputRecord record =
                unopened.deserialize(
                        CLICK.getBytes(StandardCharsets.UTF_8), "pk", "1", ARRIVAL, STREAM, "s");

        assertThat(record.feedback).isNotNull();
    }

    @Test
    void producesAFlinkPojoThatChainedOperatorsShareWithoutCopies() {
        TypeInformation<InputRecord> type = schema.getProducedType();

        assertThat(type).isInstanceOf(UnchangedRecordTypeInfo.class);
        assertThat(type.getTypeClass()).isEqualTo(InputRecord.class);
        TypeSerializer<InputRecord> serializer = type.createSerializer(new SerializerConfigImpl());
        InputRecord record = new InputRecord();
        assertThat(serializer.copy(record)).isSameAs(record);
        // The byte form stays Flink's POJO form, without Kryo.
        assertThat(TypeInformation.of(InputRecord.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
