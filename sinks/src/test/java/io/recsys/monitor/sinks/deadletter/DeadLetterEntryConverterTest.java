package io.recsys.monitor.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.monitor.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterEntryConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SQS_MAX = DeadLetterDestination.SQS.maxEntryBytes();
    private static final long KINESIS_MAX = DeadLetterDestination.KINESIS.maxEntryBytes();

    private static DeadLetter letter(String raw) {
        return new DeadLetter(
                DeadLetter.Reason.INVALID_JSON,
                "unexpected end of input",
                raw,
                "file:/data/in.jsonl",
                1_767_225_600_000L);
    }

    @Test
    void sqsMessageCarriesTheRawLineAndItsReasonAsAttributes() {
        DeadLetterEntry m = DeadLetterEntryConverter.sqsMessage(letter("{\"a\":"), SQS_MAX);
        assertThat(m.body).isEqualTo("{\"a\":");
        assertThat(m.partitionKey).isNull();
        assertThat(m.attributes)
                .containsEntry("category", "invalid_json")
                .containsEntry("reason", "unexpected end of input")
                .containsEntry("source", "file:/data/in.jsonl")
                .containsEntry("received_at", "2026-01-01T00:00:00Z")
                .containsEntry("raw_bytes", "5")
                .doesNotContainKeys("truncated", "raw_base64", "replaced_characters");
        assertThat(m.entryId).matches("[A-Za-z0-9-]{1,80}");
    }

    @Test
    void eventTimeReadFromTheRawLineIsKeptWhenThereIsOne() throws Exception {
        String raw = "{\"event_type\":\"prediction\",\"event_time\":\"2026-03-01T10:00:00Z\",";
        assertThat(DeadLetterEntryConverter.sqsMessage(letter(raw), SQS_MAX).attributes)
                .containsEntry("event_time", "2026-03-01T10:00:00Z");
        assertThat(
                        JSON.readTree(
                                        DeadLetterEntryConverter.kinesisRecord(
                                                        letter(raw), KINESIS_MAX)
                                                .body)
                                .get("event_time")
                                .asText())
                .isEqualTo("2026-03-01T10:00:00Z");
        assertThat(DeadLetterEntryConverter.sqsMessage(letter("{\"a\":"), SQS_MAX).attributes)
                .doesNotContainKey("event_time");
    }

    @Test
    void sqsMessageReplacesCharactersSqsRefusesAndSaysHowMany() {
        DeadLetter d = letter("a\u0000b\u0007c\td\uD800");
        d.rawBase64 = "YQBi";
        DeadLetterEntry m = DeadLetterEntryConverter.sqsMessage(d, SQS_MAX);
        assertThat(m.body).isEqualTo("a\uFFFDb\uFFFDc\td\uFFFD");
        assertThat(m.attributes)
                .containsEntry("replaced_characters", "3")
                .containsEntry("raw_base64", "YQBi");
    }

    @Test
    void emptyLineAndMissingFieldsStillMakeAValidMessage() {
        DeadLetter d = new DeadLetter();
        d.raw = "";
        DeadLetterEntry m = DeadLetterEntryConverter.sqsMessage(d, SQS_MAX);
        assertThat(m.body).isEqualTo(DeadLetterEntryConverter.EMPTY_BODY);
        assertThat(m.attributes)
                .containsEntry("raw_bytes", "0")
                .containsEntry("category", "unknown")
                .containsEntry("reason", "unknown")
                .containsEntry("source", "unknown");
        assertThat(m.attributes.values()).allSatisfy(v -> assertThat(v).isNotEmpty());
    }

    @Test
    void oversizeLineIsCutToTheSqsLimitWithoutSplittingACharacter() {
        // 3-byte characters, so that the limit falls inside one unless the cut respects them.
        String raw = "\u20ac".repeat(100_000);
        DeadLetter d = letter(raw);
        d.rawBase64 = "x".repeat(1000);
        DeadLetterEntry m = DeadLetterEntryConverter.sqsMessage(d, SQS_MAX);
        assertThat(m.sizeInBytes()).isLessThanOrEqualTo(SQS_MAX).isGreaterThan(SQS_MAX - 3);
        assertThat(m.attributes)
                .containsEntry("truncated", "true")
                .containsEntry("raw_bytes", "300000")
                .doesNotContainKey("raw_base64");
        assertThat(raw).startsWith(m.body);
        assertThat(m.body.chars()).allMatch(c -> c == '\u20ac');
    }

    @Test
    void longReasonAndSourceAreCut() {
        DeadLetter d = letter("x");
        d.reason = "r".repeat(5000);
        d.source = "s".repeat(5000);
        DeadLetterEntry m = DeadLetterEntryConverter.sqsMessage(d, SQS_MAX);
        assertThat(m.attributes.get("reason"))
                .hasSize(DeadLetterEntryConverter.MAX_ATTRIBUTE_CHARS);
        assertThat(m.attributes.get("source"))
                .hasSize(DeadLetterEntryConverter.MAX_ATTRIBUTE_CHARS);
    }

    @Test
    void kinesisRecordIsAJsonEnvelopeWithAStableSpreadingKey() throws Exception {
        DeadLetterEntry r = DeadLetterEntryConverter.kinesisRecord(letter("{\"a\":"), KINESIS_MAX);
        JsonNode envelope = JSON.readTree(r.body);
        assertThat(envelope.get("category").asText()).isEqualTo("invalid_json");
        assertThat(envelope.get("reason").asText()).isEqualTo("unexpected end of input");
        assertThat(envelope.get("source").asText()).isEqualTo("file:/data/in.jsonl");
        assertThat(envelope.get("received_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(envelope.get("raw").asText()).isEqualTo("{\"a\":");
        assertThat(envelope.get("raw_bytes").asLong()).isEqualTo(5);
        assertThat(envelope.has("truncated")).isFalse();
        assertThat(r.attributes).isEmpty();

        assertThat(r.partitionKey)
                .matches("[0-9a-f]{16}")
                .isEqualTo(
                        DeadLetterEntryConverter.kinesisRecord(letter("{\"a\":"), KINESIS_MAX)
                                .partitionKey)
                .isNotEqualTo(
                        DeadLetterEntryConverter.kinesisRecord(letter("{\"b\":"), KINESIS_MAX)
                                .partitionKey);
    }

    @Test
    void oversizeLineIsCutToTheKinesisLimitCountingJsonEscapes() throws Exception {
        // Control characters take six bytes each once escaped in JSON.
        String raw = "\u0001".repeat(400_000);
        DeadLetter d = letter(raw);
        d.rawBase64 = "AQ==";
        DeadLetterEntry r = DeadLetterEntryConverter.kinesisRecord(d, KINESIS_MAX);
        long size =
                r.body.getBytes(StandardCharsets.UTF_8).length
                        + r.partitionKey.getBytes(StandardCharsets.UTF_8).length;
        assertThat(size).isLessThanOrEqualTo(KINESIS_MAX).isGreaterThan(KINESIS_MAX - 6);
        JsonNode envelope = JSON.readTree(r.body);
        assertThat(envelope.get("truncated").asBoolean()).isTrue();
        assertThat(envelope.has("raw_base64")).isFalse();
        assertThat(envelope.get("raw_bytes").asLong()).isEqualTo(400_000);
        assertThat(raw).startsWith(envelope.get("raw").asText());
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String raw = "\uD83D\uDE00".repeat(10);
        assertThat(DeadLetterEntryConverter.cutToUtf8Bytes(raw, 7)).isEqualTo("\uD83D\uDE00");
        assertThat(DeadLetterEntryConverter.prefix(raw, 3)).isEqualTo("\uD83D\uDE00");
    }
}
