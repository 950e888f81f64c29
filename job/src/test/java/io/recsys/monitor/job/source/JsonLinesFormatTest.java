package io.recsys.monitor.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.RawLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class JsonLinesFormatTest {

    private static List<RawLine> read(InputStream in, int maxLineBytes, int keptBytes)
            throws IOException {
        List<RawLine> lines = new ArrayList<>();
        try (StreamFormat.Reader<RawLine> reader =
                new JsonLinesFormat.LineReader(in, maxLineBytes, keptBytes)) {
            RawLine line;
            while ((line = reader.read()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<String> texts(byte[] file, int maxLineBytes) throws IOException {
        List<String> texts = new ArrayList<>();
        for (RawLine line : read(new ByteArrayInputStream(file), maxLineBytes, 8)) {
            assertThat(line.truncated()).isFalse();
            texts.add(new String(line.bytes, StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splitsAtNewlinesAsTheTextFormatDid() throws IOException {
        assertThat(texts(utf8("a\nb\n"), 100)).containsExactly("a", "b");
        assertThat(texts(utf8("a\n\nb"), 100)).containsExactly("a", "", "b");
        assertThat(texts(utf8(""), 100)).isEmpty();
        assertThat(texts(utf8("\n"), 100)).containsExactly("");
        assertThat(texts(utf8("only"), 100)).containsExactly("only");
    }

    @Test
    void dropsTheCarriageReturnOfCrlfLines() throws IOException {
        assertThat(texts(utf8("a\r\nb\r\n\r\nc\r"), 100)).containsExactly("a", "b", "", "c");
        // A carriage return inside a line is the parser's business (JSON whitespace).
        assertThat(texts(utf8("a\rb\n"), 100)).containsExactly("a\rb");
    }

    @Test
    void handsOverBytesUndecoded() throws IOException {
        byte[] file = {
            '{', (byte) 0xFF, (byte) 0xC3, '}', '\n', (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'
        };
        List<RawLine> lines = read(new ByteArrayInputStream(file), 100, 8);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).bytes).containsExactly('{', (byte) 0xFF, (byte) 0xC3, '}');
        assertThat(lines.get(1).bytes).containsExactly((byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x');
    }

    @Test
    void aLineAtTheLimitIsWholeAndOnePastItIsCut() throws IOException {
        byte[] file = utf8("12345678\n123456789\n123456789\r\nnext");
        List<RawLine> lines = read(new ByteArrayInputStream(file), 8, 4);

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).bytes).isEqualTo(utf8("12345678"));
        assertThat(lines.get(0).truncated()).isFalse();
        assertThat(lines.get(1).bytes).isEqualTo(utf8("1234"));
        assertThat(lines.get(1).length).isEqualTo(9);
        assertThat(lines.get(1).truncated()).isTrue();
        assertThat(lines.get(2).length).isEqualTo(9);
        assertThat(lines.get(3).bytes).isEqualTo(utf8("next"));
    }

    /** A stream of {@code size} bytes of 'x' and then a short last line, made up as it is read. */
    private static InputStream hugeLineThen(long size, String after) {
        byte[] tail = utf8("\n" + after);
        return new InputStream() {
            private long served;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long total = size + tail.length;
                if (served >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - served);
                for (int i = 0; i < n; i++) {
                    long at = served + i;
                    b[off + i] = at < size ? (byte) 'x' : tail[(int) (at - size)];
                }
                served += n;
                return n;
            }
        };
    }

    @Test
    void aLineOfHundredsOfMegabytesCostsOnlyTheLimitInMemory() throws IOException {
        long size = 300L * 1024 * 1024;
        JsonLinesFormat.LineReader reader =
                new JsonLinesFormat.LineReader(hugeLineThen(size, "{}"), 65_539, 4096);

        RawLine huge = reader.read();
        RawLine next = reader.read();

        assertThat(huge.length).isEqualTo(size);
        assertThat(huge.bytes).hasSize(4096);
        assertThat(huge.truncated()).isTrue();
        assertThat(reader.heldCapacity()).isLessThanOrEqualTo(65_540);
        assertThat(next.bytes).isEqualTo(utf8("{}"));
        assertThat(reader.read()).isNull();
    }

    @Test
    void readsTheSameLinesWhateverTheChunksTheStreamDelivers() throws IOException {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line-").append(i).append("-").append("é".repeat(random.nextInt(50)));
            text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        byte[] file = utf8(text.toString());
        List<String> whole = texts(file, 1000);
        // One to seven bytes per read call, as a network file system may deliver them.
        InputStream trickle =
                new ByteArrayInputStream(file) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
                    }
                };
        List<String> trickled = new ArrayList<>();
        for (RawLine line : read(trickle, 1000, 8)) {
            trickled.add(new String(line.bytes, StandardCharsets.UTF_8));
        }
        assertThat(whole).hasSize(2000);
        assertThat(trickled).isEqualTo(whole);
    }

    @Test
    void theRecordIsAPojoNotKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RawLine.class);
        assertThat(
                        new JsonLinesFormat(100, 10)
                                .getProducedType()
                                .createSerializer(
                                        new org.apache.flink.api.common.serialization
                                                .SerializerConfigImpl()))
                .isInstanceOf(org.apache.flink.api.java.typeutils.runtime.PojoSerializer.class);
    }

    @Test
    void theFileInputHoldsAnEventOfTheLimitPlusAByteOrderMark() {
        JsonLinesFormat format =
                FileInput.lineFormat(io.recsys.monitor.operators.ingest.EventLimits.defaults());
        assertThat(format.maxLineBytes()).isEqualTo(65_536 + 3);
        assertThat(format.keptBytes()).isEqualTo(4096);
    }
}
